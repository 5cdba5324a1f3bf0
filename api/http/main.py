"""The FastAPI application: routers, error mapping, and the services it runs on."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.bootstrap import Services, build
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
    organisations,
    projects,
    reports,
    sittings,
)
from infrastructure.settings import Settings

DESCRIPTION = """The ledger of a territorial economic-development programme: partners,
governing bodies, filières, calls for projects, candidacies, projects and funding.
Every decision is an immutable event; reads come from projections of the log.
Contract: API.md. Tokens: `filieres token issue --actor NAME --role ROLE`."""


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

    app = FastAPI(title="Filières", version="1.0", description=DESCRIPTION, lifespan=lifespan)
    if services is not None:
        app.state.services = services
    install_problem_handlers(app)
    settings = services.settings if services is not None else Settings()
    app.add_middleware(RequestBodyLimit, max_body_bytes=settings.max_body_bytes)
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
        sittings,
    ):
        app.include_router(module.router)
    return app
