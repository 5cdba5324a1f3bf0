"""A small programme to test against: partners, a bureau, a filière, a call."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from domain.decision import Decision

FOUNDED = date(2009, 1, 15)
PRESIDENTS = ("Présidente A", "Président B")


@dataclass
class World:
    association: UUID
    partner_a: UUID
    partner_b: UUID
    company: UUID
    state: UUID
    region: UUID
    bureau: UUID
    directoire: UUID
    council: UUID
    state_body: UUID
    filiere: UUID

    def decision(
        self,
        decided_on: date,
        *,
        by: tuple[str, ...] = PRESIDENTS,
        body: UUID | None = None,
        **extra: object,
    ) -> Decision:
        return Decision(
            body_id=body or self.bureau,
            decided_on=decided_on,
            decided_by=by,
            rationale="test decision",
            **extra,  # type: ignore[arg-type]
        )


def make_world(app: FilieresApplication, ctx: CommandContext) -> World:
    org = app.register_organisation
    association = org(ctx, "Association", "association", date(2005, 1, 1)).id
    partner_a = org(ctx, "Partner A", "partner", FOUNDED).id
    partner_b = org(ctx, "Partner B", "partner", FOUNDED).id
    company = org(ctx, "Company C", "company", FOUNDED).id
    state = org(ctx, "État", "public_body", FOUNDED).id
    region = org(ctx, "Région", "public_body", FOUNDED).id
    bureau = app.constitute_body(ctx, "Bureau", "bureau", FOUNDED, organisation_id=association).id
    app.seat_member(ctx, bureau, PRESIDENTS[0], partner_a, "voting", FOUNDED)
    app.seat_member(ctx, bureau, PRESIDENTS[1], partner_b, "voting", FOUNDED)
    app.seat_member(ctx, bureau, "Élu régional", region, "invitee", FOUNDED)
    directoire = app.constitute_body(ctx, "Directoire", "directoire", FOUNDED).id
    app.seat_member(ctx, directoire, "Directeur A", partner_a, "voting", FOUNDED)
    council = app.constitute_body(ctx, "Conseil d'orientation", "advisory_council", FOUNDED).id
    app.seat_member(ctx, council, "Conseiller", region, "voting", FOUNDED)
    state_body = app.constitute_body(ctx, "État", "external", FOUNDED, organisation_id=state).id
    world = World(
        association,
        partner_a,
        partner_b,
        company,
        state,
        region,
        bureau,
        directoire,
        council,
        state_body,
        filiere=UUID(int=0),
    )
    world.filiere = app.launch_filiere(
        ctx, "Viandes", "filiere", partner_a, world.decision(date(2009, 3, 1))
    ).id
    return world
