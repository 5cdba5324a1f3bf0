"""Rendering the pages: the Jinja2 templates shipped in this package, and French wording."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.bootstrap import Services
from api.pages.session import csrf_seed, csrf_token, keep_csrf_seed
from infrastructure.auth_store import TokenHolder

HERE = Path(__file__).resolve().parent
STATIC_PATH = "/pages/static"
templates = Jinja2Templates(directory=str(HERE / "templates"))

MONTHS = (
    *("janvier", "février", "mars", "avril", "mai", "juin"),
    *("juillet", "août", "septembre", "octobre", "novembre", "décembre"),
)
STATUS = {
    "active": "en cours",
    "closed": "close",
    "filiere": "filière",
    "axis": "axe",
    "submitted": "déposée",
    "selected": "retenue",
    "rejected": "non retenue",
    "withdrawn": "retirée",
    "proposed": "proposé",
    "approved": "approuvé",
    "in_progress": "en réalisation",
    "completed": "achevé",
    "abandoned": "abandonné",
    "open": "ouvert",
    "draft": "en préparation",
    "concluded": "conclu",
    "submissions_closed": "dépôts clos",
    "granted": "accordé",
    "amount_revised": "montant révisé",
    "disbursed": "versé",
    "cancelled": "annulé",
    "recovered": "reversé",
    "present": "présent",
    "represented": "représenté",
    "excused": "excusé",
    "absent": "absent",
    "added": "ajouté",
    "decided": "décidé",
    "changed": "modifié",
    "paid": "payé",
    "grant": "subvention",
    "loan": "prêt",
    "in_kind": "en nature",
    "study": "étude",
    "unknown": "forme non publiée",
    "bureau": "bureau",
    "directoire": "directoire",
    "advisory_council": "conseil consultatif",
    "external": "instance extérieure",
    "voting": "membre votant",
    "invitee": "invité",
    "participant": "participant",
    "coordinator": "coordinateur",
    "reader": "lecteur",
    "recorder": "saisie",
    "auditor": "auditeur",
    "admin": "administrateur",
}
EVENTS = {
    "Filiere.Launched": "Lancement de la filière",
    "Filiere.LeadPartnerChanged": "Changement de chef de file",
    "Filiere.Closed": "Clôture de la filière",
    "Call.Launched": "Lancement de l'appel",
    "Call.CandidacySelected": "Candidature retenue",
    "Call.CandidacyRejected": "Candidature non retenue",
    "Call.Concluded": "Conclusion de l'appel",
    "Project.StatusChanged": "Changement de statut du projet",
    "Funding.Granted": "Financement accordé",
    "Funding.AmountRevised": "Montant révisé",
    "Funding.Cancelled": "Financement annulé",
}


def day(value: date | datetime | str | None) -> str:
    """« 20 janvier 2012 »; a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return "1er" + text[1:] if value.day == 1 else text


def euros(value: Decimal | int | None) -> str:
    """« 18 000,00 € » with narrow no-break spaces; « montant inconnu » for None."""
    if value is None:
        return "montant inconnu"
    text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return text + "\u00a0€"


def label(value: object) -> str:
    text = str(value)
    return STATUS.get(text, text)


def event_label(value: str) -> str:
    return EVENTS.get(value, value)


templates.env.filters.update(day=day, euros=euros, label=label, event_label=event_label)
templates.env.globals["static"] = STATIC_PATH


def page(
    request: Request,
    services: Services,
    template: str,
    holder: TokenHolder | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The template rendered for `holder`, with the CSRF token its forms carry."""
    seed, new = csrf_seed(request)
    response = templates.TemplateResponse(
        request,
        template,
        {"holder": holder, "csrf": csrf_token(services, seed), **context},
        status_code=status_code,
    )
    if new:
        keep_csrf_seed(response, request, seed)
    response.headers["Cache-Control"] = "no-store"
    return response
