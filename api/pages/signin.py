"""GET /session (the sign-in form), POST /session (sign in), POST /session/end (sign out)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.http.deps import ServicesDep
from api.pages.render import page
from api.pages.session import (
    SESSION_COOKIE,
    clear_session,
    read_form,
    safe_next,
    session_token_id,
    session_value,
    set_session,
)

router = APIRouter(include_in_schema=False)
Next = Annotated[str | None, Query(max_length=500)]


@router.get("/session", response_class=HTMLResponse)
def sign_in_form(request: Request, services: ServicesDep, suite: Next = None) -> Response:
    token_id = session_token_id(services, request.cookies.get(SESSION_COOKIE))
    holder = services.tokens.holder_by_id(token_id) if token_id else None
    return page(request, services, "signin.html", holder, suite=safe_next(suite), error=None)


@router.post("/session")
async def sign_in(request: Request, services: ServicesDep) -> Response:
    fields = await read_form(request, services)
    target = safe_next(fields.get("suite"))
    token = fields.get("token", "").strip()
    found = services.tokens.authenticate_with_id(token) if 0 < len(token) <= 200 else None
    if found is None:
        return page(
            request,
            services,
            "signin.html",
            None,
            status_code=401,
            suite=target,
            error="Ce jeton est inconnu ou révoqué. Vérifiez-le, ou demandez-en un nouveau.",
        )
    response = RedirectResponse(target, status_code=303)
    set_session(response, request, session_value(services, found[0]))
    return response


@router.post("/session/end")
async def sign_out(request: Request, services: ServicesDep) -> Response:
    await read_form(request, services)
    response = RedirectResponse("/session", status_code=303)
    clear_session(response, request)
    return response
