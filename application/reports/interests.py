"""Interests per body: the declarations of interest, and per délibération the interests of the
members recused from it (structural: seated for an organisation with a stake; declared).

Computed from each GoverningBody's own events, like the seats report.
"""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from application.queries import ProgrammeQueries
from application.reports.bodies import OrganisationNames, bodies_asked
from domain.sitting import InterestKind


class _Line(BaseModel):
    model_config = ConfigDict(frozen=True)


class InterestLine(_Line):
    person: str
    organisation_id: UUID
    organisation_name: str
    kind: InterestKind
    reason: str | None


class DeclarationLine(_Line):
    person: str
    organisation_id: UUID
    organisation_name: str
    declared_on: date
    ends_on: date | None
    reason: str


class DeliberationLine(_Line):
    deliberation_number: int
    sitting_id: UUID
    decided_on: date
    subject_id: UUID
    subject: str
    recused: list[str]
    interests: list[InterestLine]


class BodyInterestsReport(_Line):
    body_id: UUID
    name: str
    declared: list[DeclarationLine]
    deliberations: list[DeliberationLine]


def interests_report(
    app: ProgrammeQueries, body_id: UUID | None = None
) -> list[BodyInterestsReport]:
    """Every body (or the one named) with its declarations and its délibérations' interests,
    by body name (`in_report_order`)."""
    name_of = OrganisationNames(app)
    report = []
    for body in bodies_asked(app, body_id):
        report.append(
            BodyInterestsReport(
                body_id=body.id,
                name=body.name,
                declared=[
                    DeclarationLine(
                        **c.model_dump(exclude={"version"}),
                        organisation_name=name_of(c.organisation_id),
                    )
                    for c in body.conflicts
                ],
                deliberations=[
                    DeliberationLine(
                        **d.model_dump(exclude={"interests"}),
                        interests=[
                            InterestLine(
                                **i.model_dump(), organisation_name=name_of(i.organisation_id)
                            )
                            for i in d.interests
                        ],
                    )
                    for d in body.deliberations
                ],
            )
        )
    return in_report_order(report)


def in_report_order(report: list[BodyInterestsReport]) -> list[BodyInterestsReport]:
    """By body name, then id: an order every reader of the bodies can give (a server's
    list of bodies comes in another order than the store's)."""
    return sorted(report, key=lambda b: (b.name.casefold(), b.name, str(b.body_id)))
