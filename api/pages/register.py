"""The register of decisions (filters, pages, CSV), one decision with its sitting and
provenance, and one event of the log with its place in the integrity chain."""

from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from api.http.deps import App, AuditEvents, ServicesDep, Views
from api.http.routers.decision_csv import csv_rows
from api.http.routers.sittings import read_sitting
from api.http.schemas.bodies import SittingPublic
from api.pages.programme import DayQuery, all_decisions, day_of
from api.pages.render import page
from api.pages.session import PageReader
from application.audit.event_record import AuditEvent
from application.payload import NO_CONTROL_PATTERN
from application.projections.paging import MAX_PAGE
from application.projections.records import DecisionEntry, RegisterFilter
from application.projections.time_travel import Cutoff
from domain.errors import NotFoundError
from infrastructure.audit_event_query import AuditEventQuery, EventLogFilter, encode_cursor
from infrastructure.auth_store import TokenHolder

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
Person = Annotated[str | None, Query(max_length=200, pattern=NO_CONTROL_PATTERN)]
Choice = Annotated[str | None, Query(max_length=40)]


def _uuid_or_none(text: str | None) -> UUID | None:
    try:
        return UUID(text) if text else None
    except ValueError:
        return None


def _yes_no(text: str | None) -> bool | None:
    return {"oui": True, "non": False}.get(text or "")


@dataclass(frozen=True)
class RegisterForm:
    """The register's form, as the page and its CSV link take it (French names, as the page
    shows them); a FastAPI dependency, so both read the same query parameters."""

    filiere: Choice = None
    instance: Choice = None
    personne: Person = None
    du: DayQuery = None
    au: DayQuery = None
    hypothese: Choice = None
    verifiee: Choice = None

    def filter(self) -> RegisterFilter:
        return RegisterFilter(
            filiere_id=_uuid_or_none(self.filiere),
            body_id=_uuid_or_none(self.instance),
            person=self.personne or None,
            date_from=day_of(self.du),
            date_to=day_of(self.au),
            assumed=_yes_no(self.hypothese),
            verified=_yes_no(self.verifiee),
        )


Form = Annotated[RegisterForm, Depends()]


@router.get("/registre", response_class=HTMLResponse)
def register(
    request: Request,
    services: ServicesDep,
    views: Views,
    holder: PageReader,
    form: Form,
    suite: Annotated[str | None, Query(max_length=200)] = None,
):
    where = form.filter()
    chosen = {
        "filiere": form.filiere or "",
        "instance": form.instance or "",
        "personne": form.personne or "",
        "du": where.date_from.isoformat() if where.date_from else "",
        "au": where.date_to.isoformat() if where.date_to else "",
        "hypothese": form.hypothese or "",
        "verifiee": form.verifiee or "",
    }
    query = urlencode({k: v for k, v in chosen.items() if v})
    found = views.decisions(where, PAGE_SIZE, suite or None)
    next_url = (
        "/registre?"
        + urlencode({**{k: v for k, v in chosen.items() if v}, "suite": found.next_cursor})
        if found.next_cursor
        else None
    )
    return page(
        request,
        services,
        "register.html",
        holder,
        rows=found.items,
        chosen=chosen,
        next_url=next_url,
        first_url="/registre" + ("?" + query if query else ""),
        csv_url="/registre.csv" + ("?" + query if query else ""),
        paged=bool(suite),
        filieres=views.filiere_overviews(),
        bodies=views.bodies(limit=MAX_PAGE).items,
    )


@router.get("/registre.csv")
def register_csv(
    views: Views,
    _: PageReader,
    form: Form,
) -> StreamingResponse:
    """The same rows as the API's `GET /decisions` in CSV, for the page's download link."""
    page_after = partial(views.decisions, form.filter(), MAX_PAGE)
    return StreamingResponse(
        csv_rows(page_after(None), page_after),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="registre-des-decisions.csv"'},
    )


def event_at(log: AuditEventQuery, position: int) -> AuditEvent | None:
    """The event at this log position, with its hashes; None past the end."""
    if position < 1:
        return None
    found = log.page(EventLogFilter(), 1, encode_cursor(position - 1) if position > 1 else None)
    return next((e for e in found.items if e.position == position), None)


def decision_at(views: Views, position: int) -> DecisionEntry:
    for entry in all_decisions(views, RegisterFilter()):
        if entry.position == position:
            return entry
    raise NotFoundError(f"aucune décision à la position {position} du journal")


@router.get("/registre/{position}", response_class=HTMLResponse)
def decision(
    request: Request,
    position: int,
    services: ServicesDep,
    views: Views,
    app: App,
    log: AuditEvents,
    holder: PageReader,
):
    entry = decision_at(views, position)
    sitting: SittingPublic | None = None
    if entry.sitting_id is not None:
        sitting = read_sitting(entry.body_id, entry.sitting_id, app, _reader(holder), Cutoff())
    return page(
        request,
        services,
        "decision.html",
        holder,
        d=entry,
        sitting=sitting,
        event=event_at(log, position),
    )


@router.get("/evenements/{position}", response_class=HTMLResponse)
def event(
    request: Request,
    position: int,
    services: ServicesDep,
    views: Views,
    log: AuditEvents,
    holder: PageReader,
):
    views.fresh()  # the log's index reaches the position first
    found = event_at(log, position)
    if found is None:
        raise NotFoundError(f"aucun événement à la position {position} du journal")
    is_decision = any(
        d.position == position
        for d in all_decisions(views, RegisterFilter())
        if d.aggregate_id == found.aggregate_id
    )
    metadata = found.metadata or {}
    return page(
        request,
        services,
        "event.html",
        holder,
        e=found,
        is_decision=is_decision,
        source=metadata.get("source"),
        assumptions=metadata.get("assumptions") or [],
    )


def _reader(holder: TokenHolder) -> TokenHolder:
    """The page's holder stands for the API's Reader dependency (any role reads)."""
    return holder
