"""/docs (Swagger UI) and /redoc from assets installed with the package, never from a CDN.

FastAPI's default pages load their JavaScript and CSS from a CDN, so offline
they are blank. The `fastapi-offline` package ships the same Swagger UI and
ReDoc bundles; they are served here under ASSETS_PATH, as FastAPI documents for
self-hosted docs assets. The guide (docs/*.md) is served beside them, as text.
"""

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

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

    def page(
        path: str,
        render: Callable[..., HTMLResponse],
        name: str,
        urls: dict[str, str],
        **options: Any,
    ) -> None:
        """GET `path`: `render`'s page, each URL under the root path (a proxy's prefix)."""

        @app.get(path, include_in_schema=False)
        def endpoint(request: Request) -> HTMLResponse:
            root = request.scope.get("root_path", "")
            rooted = {
                key: f"{root}{url}" for key, url in {"openapi_url": openapi_url, **urls}.items()
            }
            return render(title=f"{app.title} - {name}", **rooted, **options)

    page(
        "/docs",
        get_swagger_ui_html,
        "Swagger UI",
        {
            "oauth2_redirect_url": redirect_url,
            "swagger_js_url": f"{ASSETS_PATH}/swagger-ui-bundle.js",
            "swagger_css_url": f"{ASSETS_PATH}/swagger-ui.css",
            "swagger_favicon_url": f"{ASSETS_PATH}/favicon.png",
        },
        # Swagger UI would otherwise send the document to an online validator.
        swagger_ui_parameters={"validatorUrl": None},
    )

    @app.get(redirect_url, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    page(
        "/redoc",
        get_redoc_html,
        "ReDoc",
        {
            "redoc_js_url": f"{ASSETS_PATH}/redoc.standalone.js",
            "redoc_favicon_url": f"{ASSETS_PATH}/favicon.png",
        },
        # Google's fonts are a CDN too; ReDoc falls back to the system's.
        with_google_fonts=False,
    )
