"""The FastAPI application: routers, error mapping, and the services it runs on."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.bootstrap import Services, build
from api.http.conditional_get import ConditionalGet
from api.http.docs_pages import install_docs_pages
from api.http.problems import install_problem_handlers
from api.http.request_limits import RequestBodyLimit
from api.http.routers import (
    audit_integrity,
    audit_log,
    audit_proofs,
    bodies,
    calls,
    decisions,
    filieres,
    fundings,
    health,
    open_data,
    organisations,
    projects,
    reports,
    sittings,
)
from api.pages import install_pages
from infrastructure.settings import Settings

DESCRIPTION = """The ledger of a territorial economic-development programme: partners,
governing bodies, filières, calls for projects, candidacies, projects and funding.
Every decision is an immutable event; reads come from projections of the log.

Tokens: `filieres token issue --actor NAME --role ROLE` on the server's machine, sent as
`Authorization: Bearer <token>`. Each command below says what it records, who may ask and
decide it, and every 409 `code` it can answer.

Documentation, the repository's `docs/` folder, served as Markdown under `/docs/guide/`:
[api.md](/docs/guide/api.md) (this contract: roles, problems, If-Match, Idempotency-Key,
paging, CSV, time travel), [domain.md](/docs/guide/domain.md) (glossary, aggregates, rules
and who may decide what), [architecture.md](/docs/guide/architecture.md) (layers, adding a
command), [integrity.md](/docs/guide/integrity.md) (hash chain, Merkle tree, proofs)."""


def create_app(services: Services | None = None) -> FastAPI:
    """The app on `services`, or on services built from the settings at startup (uvicorn)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        if owned:
            app.state.services = build()
        try:
            yield
        finally:
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="Filières",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # Served by install_docs_pages from installed assets, not from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    if services is not None:
        app.state.services = services
    install_problem_handlers(app)
    install_docs_pages(app)
    settings = services.settings if services is not None else Settings()
    app.add_middleware(RequestBodyLimit, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(ConditionalGet)
    for module in (
        organisations,
        bodies,
        filieres,
        calls,
        projects,
        fundings,
        decisions,
        reports,
        audit_log,
        audit_integrity,
        audit_proofs,
        health,
        open_data,
        sittings,
    ):
        app.include_router(module.router)
    # Pages for people (HTML, French, a session cookie): outside the OpenAPI document.
    install_pages(app)
    return app
