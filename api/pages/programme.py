"""The programme (every filière and axis as a card, and the board's charts) and one filière,
as of any day, with what changed between two days."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.http.deps import ServicesDep, Views
from api.pages.charts import Series, bars
from api.pages.render import page
from api.pages.session import PageReader
from application.projections.detail_records import FundingLedger
from application.projections.paging import MAX_PAGE, every_item
from application.projections.read_models import ReadModels
from application.projections.records import DecisionEntry, RegisterFilter
from application.projections.time_travel import Cutoff
from application.reports.filiere_changes import filiere_changes
from domain.errors import DomainError, InvalidValueError, NotFoundError

router = APIRouter(include_in_schema=False)
DayQuery = Annotated[str | None, Query(max_length=10)]
"""A day from a form's date field: empty when left blank."""


def day_of(text: str | None) -> date | None:
    """The day a form gave, None when blank; a page's 422 when it is not a day."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValueError(f"« {text} » n'est pas une date (AAAA-MM-JJ)") from None


def all_decisions(views: ReadModels, where: RegisterFilter) -> list[DecisionEntry]:
    """Every row of the register the filter keeps, page after page."""
    return every_item(partial(views.decisions, where, MAX_PAGE))


def names(views: ReadModels) -> dict[UUID, str]:
    """Every organisation's name by id (partners, funders, candidates)."""
    found: dict[UUID, str] = {}
    cursor: str | None = None
    while True:
        chunk = views.organisations(limit=MAX_PAGE, cursor=cursor)
        found.update((o.id, o.name) for o in chunk.items)
        if chunk.next_cursor is None:
            return found
        cursor = chunk.next_cursor


def _fundings(
    views: ReadModels, project_ids: list[UUID], cutoff: Cutoff
) -> Iterator[FundingLedger]:
    for project_id in project_ids:
        yield from views.fundings_of_project(project_id, cutoff)


@router.get("/", response_class=HTMLResponse)
def programme(request: Request, services: ServicesDep, views: Views, holder: PageReader):
    now = Cutoff()
    overviews = views.filiere_overviews()
    org = names(views)
    cards = []
    funders: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"granted": Decimal(0), "agreed": Decimal(0), "paid": Decimal(0)}
    )
    calls_chart: list[tuple[str, dict[str, int]]] = []
    for overview in overviews:
        projects = views.projects_of_filiere(overview.id, now)
        by_funder: dict[str, dict[str, Decimal]] = defaultdict(
            lambda: {"granted": Decimal(0), "agreed": Decimal(0), "paid": Decimal(0)}
        )
        for line in _fundings(views, [p.id for p in projects], now):
            name = org.get(line.funder_id, str(line.funder_id))
            money = by_funder[name]
            if line.cancelled_on is None:
                money["granted"] += line.amount or 0
                if line.agreement is not None:
                    money["agreed"] += line.amount or 0
            money["paid"] += line.disbursed
        for name, money in by_funder.items():
            for key, value in money.items():
                funders[name][key] += value
        for call in views.calls_of_filiere(overview.id, now):
            calls_chart.append((call.title, call.candidacies_by_status))
        cards.append({"overview": overview, "by_funder": dict(by_funder)})
    decisions = all_decisions(views, RegisterFilter())
    per_year = sorted(Counter(d.decided_on.year for d in decisions).items())
    per_body = Counter(d.body_name for d in decisions).most_common()
    funder_names = sorted(funders)
    charts = {
        "per_filiere": bars(
            "graphique-filieres",
            "Financements accordés et versés, par filière",
            [o.name for o in overviews],
            [
                Series("accordé", [o.funding.granted for o in overviews]),
                Series("versé", [o.funding.disbursed for o in overviews]),
            ],
            money=True,
        ),
        "per_funder": bars(
            "graphique-financeurs",
            "Financements accordés, conventionnés et versés, par financeur",
            funder_names,
            [
                Series("accordé", [funders[n]["granted"] for n in funder_names]),
                Series("conventionné", [funders[n]["agreed"] for n in funder_names]),
                Series("versé", [funders[n]["paid"] for n in funder_names]),
            ],
            money=True,
        ),
        "per_year": bars(
            "graphique-annees",
            "Décisions par année",
            [str(y) for y, _ in per_year],
            [Series("décisions", [n for _, n in per_year])],
        ),
        "per_body": bars(
            "graphique-instances",
            "Décisions par instance",
            [b for b, _ in per_body],
            [Series("décisions", [n for _, n in per_body])],
        ),
        "per_call": bars(
            "graphique-appels",
            "Candidatures par appel",
            [title for title, _ in calls_chart],
            [
                Series(label, [counts.get(status, 0) for _, counts in calls_chart])
                for status, label in (
                    ("submitted", "en attente"),
                    ("selected", "retenues"),
                    ("rejected", "non retenues"),
                    ("withdrawn", "retirées"),
                )
            ],
        ),
    }
    return page(
        request,
        services,
        "programme.html",
        holder,
        cards=cards,
        funders={n: funders[n] for n in funder_names},
        per_year=per_year,
        per_body=per_body,
        calls_chart=calls_chart,
        charts=charts,
        total_decisions=len(decisions),
    )


@router.get("/filiere/{filiere_id}", response_class=HTMLResponse)
def filiere(
    request: Request,
    filiere_id: UUID,
    services: ServicesDep,
    views: Views,
    holder: PageReader,
    jour_: Annotated[str | None, Query(alias="jour", max_length=10)] = None,
    du_: Annotated[str | None, Query(alias="du", max_length=10)] = None,
    au_: Annotated[str | None, Query(alias="au", max_length=10)] = None,
):
    jour, du, au = day_of(jour_), day_of(du_), day_of(au_)
    cutoff = Cutoff(as_of=jour)
    today = views.filiere_overview(filiere_id)  # 404 for a filière that never was
    context: dict[str, Any] = {"today_overview": today, "jour": jour, "du": du, "au": au}
    try:
        overview = views.filiere_overview(filiere_id, cutoff)
    except NotFoundError:
        overview = None
    if overview is not None:
        org = names(views)
        calls = views.calls_of_filiere(filiere_id, cutoff)
        projects = views.projects_of_filiere(filiere_id, cutoff)
        fundings = {p.id: views.fundings_of_project(p.id, cutoff) for p in projects}
        decisions = all_decisions(views, RegisterFilter(filiere_id=filiere_id, as_of=jour))
        context.update(
            overview=overview,
            calls=calls,
            projects=projects,
            fundings=fundings,
            decisions=decisions,
            org=org,
        )
    if du is not None and au is not None and du > au:
        context["changes_error"] = "La première date vient après la seconde : inversez-les."
    elif du is not None and au is not None:
        try:
            context["changes"] = filiere_changes(views, filiere_id, du, au)
        except DomainError as error:
            context["changes_error"] = str(error)
    return page(request, services, "filiere.html", holder, **context)
