# The leadgraph API as a container. Used by docker-compose.yml (backend: Neo4j);
# see docs/neo4j.md. Build: docker build -t leadgraph .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY leadgraph ./leadgraph
RUN pip install . && useradd --system --home-dir /app --shell /usr/sbin/nologin leadgraph

USER leadgraph
EXPOSE 8000
# Settings refuse a non-loopback host unless the default role is viewer (masked mobiles).
CMD ["leadgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
