"""One error hierarchy for the whole package.

Every error carries an HTTP status and a stable ``code`` so the API renders it in one
handler and the CLI prints it as one clear line; nothing below the routes raises
``HTTPException``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "LeadgraphError",
    "SchemaError",
    "IngestError",
    "FileRefused",
    "UnknownKind",
    "NotFound",
    "Ambiguous",
    "InvalidQuery",
    "BackendUnavailable",
]


class LeadgraphError(Exception):
    """Base of every error this package raises on purpose."""

    status: int = 500
    code: str = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.details}


class SchemaError(LeadgraphError):
    """The declared schema is malformed; names the fault."""

    code = "schema_error"


class IngestError(LeadgraphError):
    """A list could not be loaded at all (as opposed to single rows being rejected)."""

    status = 422
    code = "ingest_error"


class FileRefused(IngestError):
    """A file was refused before reading: empty, too large, undecodable, wrong format."""

    code = "file_refused"


class UnknownKind(IngestError):
    """A list kind that the mappings do not declare, or one that cannot be inferred."""

    code = "unknown_kind"


class NotFound(LeadgraphError):
    status = 404
    code = "not_found"


class Ambiguous(LeadgraphError):
    """A name matches several nodes; ``details['candidates']`` lists them."""

    status = 422
    code = "ambiguous"


class InvalidQuery(LeadgraphError):
    status = 422
    code = "invalid_query"


class BackendUnavailable(LeadgraphError):
    """The graph backend cannot be reached or refuses the credentials."""

    status = 503
    code = "backend_unavailable"
