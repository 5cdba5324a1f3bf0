"""A small programme to test against: partners, a bureau, a filière, a call."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.body_commands import ConstituteBody, SeatMember
from application.context import CommandContext
from application.filiere_commands import LaunchFiliere
from application.filieres_app import FilieresApplication
from application.organisation_commands import RegisterOrganisation
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
        if "sitting_id" not in extra:
            extra.setdefault("sitting_not_published", True)
        return Decision(
            body_id=body or self.bureau,
            decided_on=decided_on,
            decided_by=by,
            rationale="test decision",
            **extra,  # type: ignore[arg-type]
        )


def make_world(app: FilieresApplication, ctx: CommandContext) -> World:
    def org(name: str, kind: str, on: date = FOUNDED) -> UUID:
        return app.execute(ctx, RegisterOrganisation(name=name, kind=kind, registered_on=on)).id

    def body(name: str, kind: str, organisation_id: UUID | None = None) -> UUID:
        command = ConstituteBody(
            name=name, kind=kind, constituted_on=FOUNDED, organisation_id=organisation_id
        )
        return app.execute(ctx, command).id

    def seat(body_id: UUID, person: str, organisation_id: UUID, role: str = "voting") -> None:
        command = SeatMember(
            body_id=body_id,
            person=person,
            organisation_id=organisation_id,
            role=role,
            from_=FOUNDED,
        )
        app.execute(ctx, command)

    association = org("Association", "association", date(2005, 1, 1))
    partner_a = org("Partner A", "partner")
    partner_b = org("Partner B", "partner")
    company = org("Company C", "company")
    state = org("État", "public_body")
    region = org("Région", "public_body")
    bureau = body("Bureau", "bureau", organisation_id=association)
    seat(bureau, PRESIDENTS[0], partner_a)
    seat(bureau, PRESIDENTS[1], partner_b)
    seat(bureau, "Élu régional", region, "invitee")
    directoire = body("Directoire", "directoire")
    seat(directoire, "Directeur A", partner_a)
    council = body("Conseil d'orientation", "advisory_council")
    seat(council, "Conseiller", region)
    state_body = body("État", "external", organisation_id=state)
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
    launch = LaunchFiliere(
        name="Viandes",
        kind="filiere",
        lead_partner_id=partner_a,
        decision=world.decision(date(2009, 3, 1)),
    )
    world.filiere = app.launch_filiere(ctx, launch).id
    return world
