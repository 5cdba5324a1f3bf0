"""The governing bodies over time (who sat where, for whom, from when to when), their
sittings and délibérations; and, for auditors, the state of the integrity chain."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.http.deps import App, AuditLog, Checkpoints, ServicesDep, Views
from api.http.routers.sittings import list_sittings
from api.pages.charts import Period, timeline
from api.pages.render import page
from api.pages.session import PageAuditor, PageReader
from application.projections.time_travel import Cutoff
from application.reports.seats import seats_report
from infrastructure.checkpoints import InconsistentLogError, NoSigningKeyError

router = APIRouter(include_in_schema=False)


@router.get("/instances", response_class=HTMLResponse)
def bodies(request: Request, services: ServicesDep, app: App, holder: PageReader):
    today = date.today()
    report = seats_report(app)
    shown = []
    for index, body in enumerate(report):
        chart = timeline(
            f"frise-{index}",
            f"Qui a siégé à « {body.name} », et quand",
            [
                Period(s.person, f"{s.organisation_name}, {s.role.value}", s.from_date, s.until)
                for s in body.seats
            ],
            today,
        )
        sittings = list_sittings(body.body_id, app, holder, Cutoff(), 1000, None).items
        shown.append({"body": body, "chart": chart if body.seats else None, "sittings": sittings})
    return page(request, services, "bodies.html", holder, bodies=shown)


@router.get("/auditeurs", response_class=HTMLResponse)
def auditors(
    request: Request,
    services: ServicesDep,
    views: Views,
    store: AuditLog,
    checkpoints: Checkpoints,
    holder: PageAuditor,
):
    views.fresh()
    verification = store.verify()
    checkpoint: str | None = None
    checkpoint_problem: str | None = None
    try:
        checkpoint = checkpoints.sign_current()
    except NoSigningKeyError as error:
        checkpoint_problem = f"Aucune clé de signature n'est configurée : {error}"
    except InconsistentLogError as error:
        checkpoint_problem = f"Le journal ne prolonge plus le dernier point de contrôle : {error}"
    return page(
        request,
        services,
        "auditors.html",
        holder,
        verification=verification,
        checkpoint=checkpoint,
        checkpoint_problem=checkpoint_problem,
    )


@router.get("/auditeurs/journal.jsonl")
def export(store: AuditLog, _: PageAuditor):
    """The API's export (`GET /audit/events.jsonl`), for the page's download link."""
    from api.http.routers.audit_integrity import JSONLinesResponse, json_line_chunks

    return JSONLinesResponse(
        json_line_chunks(store.audit_events()),
        headers={"Content-Disposition": 'attachment; filename="journal.jsonl"'},
    )
