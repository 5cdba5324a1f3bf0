"""Pages for people: the programme, each filière, the register and the bodies, in French.

Served by the same FastAPI application as the JSON API, rendered on the server
from the Jinja2 templates in `templates/`, styled by `static/` (no script, no
CDN, no font from elsewhere). They read through the same application queries as
the API's routers, with a session cookie instead of a bearer token (`session.py`).
"""

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.pages import bodies, programme, register, signin
from api.pages.render import HERE, STATIC_PATH, templates
from api.pages.session import BadForm, PageForbidden, SignInRequired, sign_in_url
from domain.errors import DomainError, NotFoundError

PAGE_PATHS = ("/", "/session", "/filiere/", "/registre", "/evenements/", "/instances", "/auditeurs")


def _is_page(request: Request) -> bool:
    path = request.url.path
    return path == "/" or any(path.startswith(p) for p in PAGE_PATHS[1:])


def _message(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "message.html",
        {"holder": None, "csrf": "", "title": title, "detail": detail},
        status_code=status,
    )


def install_pages(app: FastAPI) -> None:
    """Mount the pages' styles and routes on `app`, and answer their refusals in HTML."""
    app.mount(STATIC_PATH, StaticFiles(directory=str(HERE / "static")), name="pages-static")
    for module in (signin, programme, register, bodies):
        app.include_router(module.router)

    @app.exception_handler(SignInRequired)
    def _sign_in(request: Request, error: Exception) -> Response:
        assert isinstance(error, SignInRequired)
        return RedirectResponse(sign_in_url(error.back_to), status_code=303)

    @app.exception_handler(PageForbidden)
    def _forbidden(request: Request, error: Exception) -> Response:
        assert isinstance(error, PageForbidden)
        return _message(
            request,
            403,
            "Accès refusé",
            f"Le rôle « {error.holder.role.value} » ne permet pas d'ouvrir {error.what}.",
        )

    @app.exception_handler(BadForm)
    def _bad_form(request: Request, error: Exception) -> Response:
        return _message(request, 403, "Formulaire refusé", str(error))

    # The API's handler answers problem+json; a page answers a page.
    api_domain_handler = app.exception_handlers.get(DomainError)

    def _domain(request: Request, error: Exception) -> Response:
        if _is_page(request) and isinstance(error, DomainError):
            if isinstance(error, NotFoundError):
                return _message(request, 404, "Introuvable", str(error))
            return _message(request, 422, "Demande impossible", str(error))
        assert api_domain_handler is not None
        return api_domain_handler(request, error)  # type: ignore[return-value]

    if api_domain_handler is not None:
        app.add_exception_handler(DomainError, _domain)
