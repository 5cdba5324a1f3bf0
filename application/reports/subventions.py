"""A funder's grants in the SCDL « Subventions » 2.1.1 format, and the lines it cannot publish.

One row per funding line whose agreement was signed in the year, in the
schema's 16 columns and order. A line missing what a column requires (an
agreement, an amount, a beneficiary with a SIRET or an RNA number, the
funder's SIRET, the nature of the aid, the project's budget) is left out,
never padded, and said so with its reasons.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from uuid import UUID

from pydantic import BaseModel

from application.filieres_app import FilieresApplication
from application.projections.detail_records import FundingLedger
from application.projections.read_models import ReadModels
from domain.money import Total
from domain.organisation import Organisation

COLUMNS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)
NATURE = {
    "cash": "aide en numéraire",
    "in_kind": "aide en nature",
    "cash_and_in_kind": "aide en numéraire;aide en nature",
}
PAYMENT_TERMS = {"single": "unique", "instalments": "échelonné", "other": "autre"}
LEAST_SHARE = Decimal("0.01")


class Unpublishable(BaseModel):
    """A funding line left out of the file, and why."""

    funding_id: UUID
    project_id: UUID
    amount: Total | None
    signed_on: date | None
    reasons: list[str]


@dataclass
class Subventions:
    rows: list[tuple[str, ...]] = field(default_factory=list)
    left_out: list[Unpublishable] = field(default_factory=list)

    def csv(self) -> str:
        return "".join(csv_lines(self.rows))


def subventions(
    lines: Iterable[FundingLedger],
    organisation: Callable[[UUID], Organisation],
    year: int | None = None,
) -> Subventions:
    """The rows of the lines signed in `year` (any year if None), and the lines left out.

    Left out: the lines of that year that cannot be published, and those with
    no agreement yet (which could be of any year).
    """
    found = Subventions()
    for line in lines:
        agreement = line.agreement
        if year is not None and agreement is not None and agreement.signed_on.year != year:
            continue
        reasons = _reasons(line, organisation)
        if reasons or agreement is None:
            found.left_out.append(
                Unpublishable(
                    funding_id=line.id,
                    project_id=line.project_id,
                    amount=line.amount,
                    signed_on=None if agreement is None else agreement.signed_on,
                    reasons=reasons,
                )
            )
        else:
            found.rows.append(_row(line, organisation))
    found.rows.sort(key=lambda row: (row[2], row[3]))
    return found


def funder_subventions(
    app: FilieresApplication, views: ReadModels, funder_id: UUID, year: int | None
) -> Subventions:
    """The funder's lines as rows, and those left out; NotFoundError for an unknown funder."""
    app.load(Organisation, funder_id)
    organisation = cache(lambda organisation_id: app.load(Organisation, organisation_id))
    return subventions(views.fundings_of_funder(funder_id), organisation, year)


def _reasons(line: FundingLedger, organisation: Callable[[UUID], Organisation]) -> list[str]:
    reasons = []
    if line.cancelled_on is not None:
        reasons.append(f"cancelled on {line.cancelled_on}")
    if line.kind == "loan":
        reasons.append("a loan is not a grant")
    if line.amount is None:
        reasons.append("no amount known")
    if line.agreement is None:
        reasons.append("no agreement signed")
    funder = organisation(line.funder_id)
    if funder.siret is None:
        reasons.append(f"the funder {funder.name!r} has no SIRET (idAttribuant)")
    if line.beneficiary_id is None:
        reasons.append("no beneficiary named")
    else:
        beneficiary = organisation(line.beneficiary_id)
        if beneficiary.siret is None and beneficiary.rna is None:
            reasons.append(f"the beneficiary {beneficiary.name!r} has neither SIRET nor RNA")
    if line.nature is None:
        reasons.append("the nature of the aid (cash or in kind) is not known")
    if line.project_budget is None:
        reasons.append("no share of the project's budget (the project has no estimated budget)")
    elif line.share_of_budget is not None and line.share_of_budget < LEAST_SHARE:
        reasons.append("its share of the project's budget is below 0.01, the schema's least")
    return reasons


def _row(line: FundingLedger, organisation: Callable[[UUID], Organisation]) -> tuple[str, ...]:
    agreement = line.agreement
    assert agreement is not None and line.amount is not None and line.nature is not None
    assert line.beneficiary_id is not None and line.share_of_budget is not None
    funder, beneficiary = organisation(line.funder_id), organisation(line.beneficiary_id)
    period = agreement.payment_period
    dates = period.from_.isoformat() + ("" if period.to is None else f"/{period.to.isoformat()}")
    return (
        funder.name,
        funder.siret or "",
        agreement.signed_on.isoformat(),
        agreement.reference,
        beneficiary.name,
        beneficiary.siret or "",
        beneficiary.rna or "",
        agreement.purpose,
        f"{line.amount:.2f}",
        NATURE[line.nature],
        PAYMENT_TERMS[agreement.payment_terms],
        dates,
        agreement.rae_id or "",
        "oui" if agreement.eu_notified else "non",
        format(line.share_of_budget.normalize(), "f"),
        agreement.aid_scheme or "",
    )


def csv_lines(rows: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """The header and each row, UTF-8 text, comma-separated, as the schema's files are."""
    for row in (COLUMNS, *rows):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(row)
        yield buffer.getvalue()
