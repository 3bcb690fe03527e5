"""One module per resource, each an ``APIRouter``."""
