"""The HTTP API (FastAPI): routers, schemas, dependencies and error mapping."""
