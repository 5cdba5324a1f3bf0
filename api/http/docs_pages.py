"""/docs (Swagger UI) and /redoc from assets installed with the package, never from a CDN.

FastAPI's default pages load their JavaScript and CSS from a CDN, so offline
they are blank. The `fastapi-offline` package ships the same Swagger UI and
ReDoc bundles; they are served here under ASSETS_PATH, as FastAPI documents for
self-hosted docs assets. The guide (docs/*.md) is served beside them, as text.
"""

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_PATH = "/docs/assets"
_ASSETS = files("fastapi_offline") / "static"
GUIDE_PATH = "/docs/guide"
"""Where the repository's docs/*.md are served as text, so the OpenAPI description links them."""
_GUIDE = Path(__file__).resolve().parents[2] / "docs"


def install_docs_pages(app: FastAPI) -> None:
    """Serve /docs, its OAuth2 redirect and /redoc on `app`, created with docs_url=None and
    redoc_url=None, their assets from the installed package."""
    app.mount(ASSETS_PATH, StaticFiles(directory=str(_ASSETS)), name="docs-assets")
    # Public like /docs. Present in a clone (and an editable install); a 404 where absent.
    app.mount(GUIDE_PATH, StaticFiles(directory=_GUIDE, check_dir=False), name="docs-guide")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=f"{root}{redirect_url}",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            # Swagger UI would otherwise send the document to an online validator.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(redirect_url, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            # Google's fonts are a CDN too; ReDoc falls back to the system's.
            with_google_fonts=False,
        )
