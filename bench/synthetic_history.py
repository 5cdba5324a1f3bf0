"""A synthetic programme of a given number of events, recorded through the application's commands.

Organisations (partners, companies, funders), a bureau whose voting members
declare conflicts of interest, external bodies for the funders, several
filières and axes, then call after call: candidacies submitted, reviewed,
some withdrawn; submissions closed; candidacies selected or rejected (now and
then a rejection reversed); the call concluded; projects proposed from the
selected candidacies and approved; funding granted (sometimes without an
amount, revised later), revised, disbursed, once in a while cancelled; projects
started, their milestones, some completed or abandoned.

Every decision passes the application's checks: it names voting members of a
body that may decide, a funder's money is decided by that funder's body, and a
president who declared a conflict of interest with a candidate does not decide
about it.

For a given seed the same commands run with the same arguments in the same
order (names, dates, amounts, outcomes, candidacy ids); aggregate ids and
recording timestamps come from the library and differ from run to run. The
last commands are milestones (or renamings) so that the log grows by exactly
`events` (the set-up takes a few per cent of them, and at least about 150).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from uuid import UUID

from application.body_commands import ConstituteBody, DeclareConflictOfInterest, SeatMember
from application.call_commands import (
    CloseSubmissions,
    ConcludeCall,
    DecideCandidacy,
    LaunchCall,
    Outcome,
    ReviewCandidacy,
    SubmitCandidacy,
    WithdrawCandidacy,
)
from application.command import Command
from application.context import CommandContext, CommandResult
from application.filiere_commands import JoinProjectGroup, LaunchFiliere
from application.filieres_app import FilieresApplication
from application.funding_commands import (
    CancelFunding,
    GrantFunding,
    RecordDisbursement,
    ReviseFundingAmount,
)
from application.organisation_commands import RegisterOrganisation, RenameOrganisation
from application.payload import today
from application.project_commands import ChangeProjectStatus, ProposeProject, ReachMilestone
from domain.call import CallKind
from domain.decision import Decision
from domain.filiere import FiliereKind
from domain.funding import FundingKind
from domain.governing_body import BodyKind, SeatRole
from domain.identifiers import luhn_valid
from domain.organisation import OrganisationKind
from domain.project import ProjectPartner, ProjectStatus

START = date(2009, 1, 15)
FILIERES_LAUNCHED = date(2009, 6, 2)
FIRST_CALL = date(2010, 1, 4)
CENT = Decimal("0.01")

PARTNERS = (
    ("Grand Roanne Agglomération", "Présidente Agglomération"),
    ("Chambre de commerce et d'industrie", "Président CCI"),
    ("Chambre de métiers et de l'artisanat", "Présidente CMA"),
    ("Syndicat mixte du Roannais", "Président Syndicat mixte"),
)
FUNDERS = (
    # name, kind, the kind of funding it grants, the voting members of its deciding body
    ("Région Rhône-Alpes", OrganisationKind.PUBLIC_BODY, FundingKind.GRANT, ("Vice-présidente",)),
    ("Département de la Loire", OrganisationKind.PUBLIC_BODY, FundingKind.GRANT, ()),
    ("Fonds européen FEDER", OrganisationKind.FUNDER, FundingKind.GRANT, ()),
    ("Banque des territoires", OrganisationKind.FUNDER, FundingKind.LOAN, ()),
    ("Agence de l'environnement", OrganisationKind.PUBLIC_BODY, FundingKind.STUDY, ()),
)
FILIERES = (
    ("Numérique", FiliereKind.FILIERE),
    ("Déconstruction", FiliereKind.FILIERE),
    ("Bois", FiliereKind.FILIERE),
    ("Viandes", FiliereKind.FILIERE),
    ("Écologie industrielle", FiliereKind.FILIERE),
    ("Textile", FiliereKind.FILIERE),
    ("Marketing territorial", FiliereKind.AXIS),
    ("Formation", FiliereKind.AXIS),
)
TRADES = (
    "Menuiserie",
    "Scierie",
    "Abattoir",
    "Salaisons",
    "Recyclage",
    "Logiciels",
    "Datacenter",
    "Tissage",
    "Bonneterie",
    "Transports",
    "Métallurgie",
    "Conseil",
)
PLACES = ("Roanne", "Riorges", "Mably", "Le Coteau", "Charlieu", "Renaison", "Balbigny")
REVIEWERS = ("Chargé de mission filières", "Rapporteur CCI", "Rapporteur CMA", "Expert externe")


# --- The plan of one call: decided before anything is recorded, so it can be counted -------
@dataclass
class FundingPlan:
    funder: int
    granted_on: date
    amount: Decimal | None
    revisions: list[Decimal] = field(default_factory=list)
    disbursements: list[Decimal] = field(default_factory=list)
    cancelled: bool = False

    def events(self) -> int:
        return 1 + len(self.revisions) + len(self.disbursements) + self.cancelled


@dataclass
class ProjectPlan:
    proposed_on: date
    partner: int | None
    started: bool
    milestones: int
    ending: ProjectStatus | None
    fundings: list[FundingPlan]

    def events(self) -> int:
        steps = 2 + self.started + self.milestones + (self.ending is not None)
        return steps + sum(f.events() for f in self.fundings) + self.financing_events()

    def budget_floor(self) -> Decimal:
        """The least budget that holds every line at its highest known amount at once."""
        return sum(
            (max([f.amount or Decimal(0), *f.revisions]) for f in self.fundings), Decimal("0.00")
        )

    def financing_events(self) -> int:
        """The project's co-financing record: opened, then one event per known amount changed."""
        known: dict[int, Decimal] = {}
        count = 0
        for line, funding in enumerate(self.fundings):
            for amount in [
                *([] if funding.amount is None else [funding.amount]),
                *funding.revisions,
            ]:
                if known.get(line) != amount:
                    count += 2 if count == 0 else 1
                    known[line] = amount
            if funding.cancelled and line in known:
                count += 1
                del known[line]
        return count


@dataclass
class CandidacyPlan:
    id: UUID
    candidate: int
    submitted_on: date
    requested: Decimal
    reviews: list[tuple[str, int, date]]
    withdrawn_on: date | None
    selected: bool
    reversed_into_selection: bool = False
    project: ProjectPlan | None = None

    def events(self) -> int:
        decided = 0 if self.withdrawn_on else 1 + self.reversed_into_selection
        project = self.project.events() if self.project else 0
        return 1 + len(self.reviews) + (self.withdrawn_on is not None) + decided + project


@dataclass
class CallPlan:
    number: int
    filiere: int
    issuer_funder: int | None
    """None: the association issues it and its bureau decides; else a funder's body decides."""
    kind: CallKind
    opens_on: date
    closes_on: date
    decided_on: date
    candidacies: list[CandidacyPlan]
    envelope: Decimal | None = None
    max_selected: int | None = None

    def events(self) -> int:
        return 3 + sum(c.events() for c in self.candidacies)


class _SyntheticHistory:
    def __init__(self, app: FilieresApplication, events: int, seed: int) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.sirens: set[str] = set()
        self.ctx = CommandContext(actor="bench synthetic history")
        self.position = app.event_count()
        self.target = self.position + events
        self.partners: list[UUID] = []
        self.presidents: list[str] = []
        self.conflicts: dict[int, set[str]] = {}
        """Company index → the presidents who declared a conflict of interest with it."""
        self.companies: list[UUID] = []
        self.funders: list[UUID] = []
        self.funder_bodies: list[tuple[UUID, tuple[str, ...]]] = []
        self.filieres: list[UUID] = []
        self.projects: list[UUID] = []
        self.association = UUID(int=0)
        self.bureau = UUID(int=0)
        self.calls = 0
        self.calls_per_week = max(1, events // 100_000)
        """About 100 events a call: a million events are twenty years of ten calls a week."""
        self.last_day = FIRST_CALL

    def run(self, command: Command) -> CommandResult:
        result = self.app.execute(self.ctx, command)
        self.position = result.position
        return result

    @property
    def remaining(self) -> int:
        return self.target - self.position

    # --- Set-up ----------------------------------------------------------------------------
    def set_up(self, companies: int) -> None:
        run = self.run
        self.association = run(
            RegisterOrganisation(
                name="Roanne Territoire",
                kind=OrganisationKind.ASSOCIATION,
                registered_on=date(2005, 6, 1),
            )
        ).id
        self.partners = partners = [
            run(
                RegisterOrganisation(name=name, kind=OrganisationKind.PARTNER, registered_on=START)
            ).id
            for name, _ in PARTNERS
        ]
        for name, funder_kind, _, _ in FUNDERS:
            self.funders.append(
                run(RegisterOrganisation(name=name, kind=funder_kind, registered_on=START)).id
            )
        for number in range(companies):
            trade, place = self.rng.choice(TRADES), self.rng.choice(PLACES)
            kind = self.rng.choices(
                (OrganisationKind.COMPANY, OrganisationKind.CLUSTER, OrganisationKind.SCHOOL),
                (90, 6, 4),
            )[0]
            registered = START + timedelta(days=self.rng.randrange(300))
            self.companies.append(
                run(
                    RegisterOrganisation(
                        name=f"{trade} de {place} n°{number + 1}",
                        kind=kind,
                        registered_on=registered,
                        siren=self.siren(),
                        territory="Roannais",
                    )
                ).id
            )
        self.bureau = run(
            ConstituteBody(
                name="Bureau",
                kind=BodyKind.BUREAU,
                constituted_on=START,
                organisation_id=self.association,
            )
        ).id
        directoire = run(
            ConstituteBody(
                name="Directoire",
                kind=BodyKind.DIRECTOIRE,
                constituted_on=START,
                organisation_id=self.association,
            )
        ).id
        for partner, (_, president) in zip(partners, PARTNERS, strict=True):
            run(
                SeatMember(
                    body_id=self.bureau,
                    person=president,
                    organisation_id=partner,
                    role=SeatRole.VOTING,
                    from_=START,
                )
            )
            self.presidents.append(president)
            run(
                SeatMember(
                    body_id=directoire,
                    person=f"Directeur ({president})",
                    organisation_id=partner,
                    role=SeatRole.PARTICIPANT,
                    from_=START,
                )
            )
        region = self.funders[0]
        run(
            SeatMember(
                body_id=self.bureau,
                person="Élu régional",
                organisation_id=region,
                role=SeatRole.INVITEE,
                from_=START,
            )
        )
        for funder, (name, _, _, voters) in zip(self.funders, FUNDERS, strict=True):
            body = run(
                ConstituteBody(
                    name=f"Commission de {name}",
                    kind=BodyKind.EXTERNAL,
                    constituted_on=START,
                    organisation_id=funder,
                )
            ).id
            for voter in voters:
                run(
                    SeatMember(
                        body_id=body,
                        person=voter,
                        organisation_id=funder,
                        role=SeatRole.VOTING,
                        from_=START,
                    )
                )
            self.funder_bodies.append((body, voters))
        # Each president declares a conflict with a few companies; never two with the same one.
        declared = date(2009, 2, 1)
        for president_index, president in enumerate(self.presidents):
            for company in range(president_index, len(self.companies), 23)[:4]:
                self.conflicts[company] = {president}
                run(
                    DeclareConflictOfInterest(
                        body_id=self.bureau,
                        person=president,
                        organisation_id=self.companies[company],
                        declared_on=declared,
                        reason="dirigeant de l'entreprise",
                    )
                )
        for number, (name, filiere_kind) in enumerate(FILIERES):
            lead = partners[number % len(partners)]
            self.filieres.append(
                run(
                    LaunchFiliere(
                        name=name,
                        kind=filiere_kind,
                        lead_partner_id=lead,
                        decision=self.by_bureau(FILIERES_LAUNCHED, f"Lancement de {name}"),
                        objectives=(f"Structurer la filière {name}",),
                    )
                ).id
            )
            for member in [*partners, *self.rng.sample(self.companies, 4)]:
                run(
                    JoinProjectGroup(
                        filiere_id=self.filieres[-1],
                        organisation_id=member,
                        joined_on=FILIERES_LAUNCHED,
                    )
                )

    # --- Decisions -------------------------------------------------------------------------
    def by_bureau(
        self,
        on: date,
        rationale: str,
        about: int | None = None,
        reverses: int | None = None,
        partner: int | None = None,
    ) -> Decision:
        """Decided by the presidents, less the one who declared a conflict with company `about`
        and the president of `partner`, a partner of the project decided (its interest)."""
        recused = set(self.conflicts.get(about, set())) if about is not None else set()
        if partner is not None:
            recused.add(self.presidents[partner])
        voters = tuple(p for p in self.presidents if p not in recused)
        return Decision(
            body_id=self.bureau,
            decided_on=on,
            decided_by=voters,
            rationale=rationale,
            reverses=reverses,
            sitting_not_published=True,
        )

    def by_funder(
        self, funder: int, on: date, rationale: str, reverses: int | None = None
    ) -> Decision:
        body, voters = self.funder_bodies[funder]
        return Decision(
            body_id=body, decided_on=on, decided_by=voters, rationale=rationale, reverses=reverses
        )

    def for_call(
        self,
        plan: CallPlan,
        on: date,
        rationale: str,
        about: int | None = None,
        reverses: int | None = None,
    ) -> Decision:
        if plan.issuer_funder is not None:
            return self.by_funder(plan.issuer_funder, on, rationale, reverses)
        return self.by_bureau(on, rationale, about, reverses)

    # --- Planning --------------------------------------------------------------------------
    def siren(self) -> str:
        """A SIREN no other company has, its last digit the Luhn check digit."""
        while True:
            body = f"{self.rng.randrange(10**7, 10**8)}"
            siren = next(body + d for d in "0123456789" if luhn_valid(body + d))
            if siren not in self.sirens:
                self.sirens.add(siren)
                return siren

    def amount(self, low: int, high: int) -> Decimal:
        """Between `low` and `high` thousand euros, to the ten euros."""
        return Decimal(self.rng.randrange(low * 100, high * 100) * 10).quantize(CENT)

    def plan_call(self, number: int, size: int) -> CallPlan:
        rng = self.rng
        opens_on = FIRST_CALL + timedelta(days=7 * (number // self.calls_per_week))
        closes_on = opens_on + timedelta(days=rng.randrange(30, 90))
        decided_on = closes_on + timedelta(days=rng.randrange(14, 45))
        issuer = rng.randrange(len(self.funders)) if rng.random() < 0.25 else None
        kind = CallKind.CALL_FOR_PROJECTS
        if rng.random() < 0.2:
            kind = CallKind.CALL_FOR_EXPRESSIONS_OF_INTEREST
        plan = CallPlan(
            number=number,
            filiere=rng.randrange(len(self.filieres)),
            issuer_funder=issuer,
            kind=kind,
            opens_on=opens_on,
            closes_on=closes_on,
            decided_on=decided_on,
            candidacies=[],
        )
        window = (closes_on - opens_on).days
        for candidate in rng.sample(range(len(self.companies)), min(size, len(self.companies))):
            submitted_on = opens_on + timedelta(days=rng.randrange(window + 1))
            reviews = [
                (
                    reviewer,
                    rng.randrange(20, 100),
                    submitted_on + timedelta(days=rng.randrange(1, 30)),
                )
                for reviewer in rng.sample(REVIEWERS, rng.choice((0, 0, 1, 1, 2)))
            ]
            withdrawn = rng.random() < 0.1
            last_review = max((on for _, _, on in reviews), default=submitted_on)
            plan.candidacies.append(
                CandidacyPlan(
                    id=UUID(int=rng.getrandbits(128), version=4),
                    candidate=candidate,
                    submitted_on=submitted_on,
                    requested=self.amount(5, 250),
                    reviews=reviews,
                    withdrawn_on=last_review + timedelta(days=rng.randrange(1, 20))
                    if withdrawn
                    else None,
                    selected=not withdrawn and rng.random() < 0.3,
                )
            )
        rejected = [c for c in plan.candidacies if not c.withdrawn_on and not c.selected]
        if rejected and rng.random() < 0.15:
            rng.choice(rejected).reversed_into_selection = True
        chosen = [c for c in plan.candidacies if c.selected or c.reversed_into_selection]
        if rng.random() < 0.5:
            plan.max_selected = max(1, len(chosen) + rng.randrange(3))
        if rng.random() < 0.5:
            plan.envelope = sum((c.requested for c in chosen), Decimal("1000.00"))
        for candidacy in chosen:
            candidacy.project = self.plan_project(decided_on)
        self.last_day = max(self.last_day, decided_on)
        return plan

    def plan_project(self, decided_on: date) -> ProjectPlan:
        rng = self.rng
        started = rng.random() < 0.8
        ending = None
        if started and rng.random() < 0.4:
            ending = ProjectStatus.COMPLETED
        elif rng.random() < 0.05:
            ending = ProjectStatus.ABANDONED
        fundings = []
        for funder in rng.sample(range(len(self.funders)), rng.choice((1, 1, 2, 2, 3))):
            granted_on = decided_on + timedelta(days=rng.randrange(20, 120))
            amount = None if rng.random() < 0.25 else self.amount(10, 500)
            revisions = []
            if amount is None or rng.random() < 0.2:
                revisions.append(self.amount(10, 500))
            final = revisions[-1] if revisions else amount
            assert final is not None
            cancelled = rng.random() < 0.03
            shares = [] if cancelled else rng.choice(([], [1], [3, 7], [3, 3, 4], [2, 2, 2, 4]))
            disbursements = [(final * share / 10).quantize(CENT, ROUND_DOWN) for share in shares]
            fundings.append(
                FundingPlan(funder, granted_on, amount, revisions, disbursements, cancelled)
            )
        return ProjectPlan(
            proposed_on=decided_on,
            partner=rng.randrange(len(PARTNERS)) if rng.random() < 0.3 else None,
            started=started,
            milestones=rng.choice((0, 1, 1, 2, 3)) if started else 0,
            ending=ending,
            fundings=fundings,
        )

    # --- Recording -------------------------------------------------------------------------
    def record_call(self, plan: CallPlan) -> None:
        run = self.run
        title = f"Appel n°{plan.number + 1}"
        issuer = (
            self.funders[plan.issuer_funder] if plan.issuer_funder is not None else self.association
        )
        call = run(
            LaunchCall(
                filiere_id=self.filieres[plan.filiere],
                title=title,
                kind=plan.kind,
                issuer_id=issuer,
                opens_on=plan.opens_on,
                closes_on=plan.closes_on,
                decision=self.for_call(plan, plan.opens_on, f"Lancement de l'{title.lower()}"),
                budget_envelope=plan.envelope,
                max_selected=plan.max_selected,
            )
        ).id
        in_order = sorted(plan.candidacies, key=lambda c: c.submitted_on)
        for candidacy in in_order:
            run(
                SubmitCandidacy(
                    call_id=call,
                    candidate_id=self.companies[candidacy.candidate],
                    project_title=(
                        f"Projet de {title.lower()}, candidat {candidacy.candidate + 1}"
                    ),
                    submitted_on=candidacy.submitted_on,
                    requested_amount=candidacy.requested,
                    candidacy_id=candidacy.id,
                )
            )
        later: list[tuple[date, Command]] = []
        for candidacy in in_order:
            for reviewer, score, on in candidacy.reviews:
                later.append((on, self._review(call, candidacy.id, reviewer, score, on)))
            if candidacy.withdrawn_on is not None:
                later.append(
                    (
                        candidacy.withdrawn_on,
                        self._withdraw(call, candidacy.id, candidacy.withdrawn_on),
                    )
                )
        for _, step_command in sorted(later, key=lambda pair: pair[0]):
            run(step_command)
        run(CloseSubmissions(call_id=call, closed_on=plan.closes_on))
        reversals = []
        for candidacy in in_order:
            if candidacy.withdrawn_on is not None:
                continue
            outcome = Outcome.SELECTED if candidacy.selected else Outcome.REJECTED
            rationale = f"Candidature {'retenue' if candidacy.selected else 'non retenue'}"
            decided = run(
                DecideCandidacy(
                    call_id=call,
                    candidacy_id=candidacy.id,
                    outcome=outcome,
                    decision=self.for_call(plan, plan.decided_on, rationale, candidacy.candidate),
                )
            )
            if candidacy.reversed_into_selection:
                reversals.append((candidacy, decided.position))
        for candidacy, position in reversals:
            run(
                DecideCandidacy(
                    call_id=call,
                    candidacy_id=candidacy.id,
                    outcome=Outcome.SELECTED,
                    decision=self.for_call(
                        plan,
                        plan.decided_on + timedelta(days=7),
                        "Recours admis : candidature finalement retenue",
                        candidacy.candidate,
                        reverses=position,
                    ),
                )
            )
        run(
            ConcludeCall(
                call_id=call,
                decision=self.for_call(
                    plan, plan.decided_on + timedelta(days=7), f"{title} conclu"
                ),
            )
        )
        for candidacy in in_order:
            if candidacy.project is not None:
                self.record_project(plan, call, candidacy, candidacy.project)

    def _review(
        self, call: UUID, candidacy: UUID, reviewer: str, score: int, on: date
    ) -> ReviewCandidacy:
        return ReviewCandidacy(
            call_id=call,
            candidacy_id=candidacy,
            reviewer=reviewer,
            opinion="Dossier complet, projet cohérent",
            reviewed_on=on,
            score=score,
        )

    def _withdraw(self, call: UUID, candidacy: UUID, on: date) -> WithdrawCandidacy:
        return WithdrawCandidacy(call_id=call, candidacy_id=candidacy, withdrawn_on=on)

    def record_project(
        self, call_plan: CallPlan, call: UUID, candidacy: CandidacyPlan, plan: ProjectPlan
    ) -> None:
        run = self.run
        partners = [
            ProjectPartner(
                organisation_id=self.companies[candidacy.candidate], role="porteur du projet"
            )
        ]
        if plan.partner is not None:
            partners.append(
                ProjectPartner(organisation_id=self.partners[plan.partner], role="accompagnement")
            )
        title = f"Projet de l'appel n°{call_plan.number + 1}, candidat {candidacy.candidate + 1}"
        project = run(
            ProposeProject(
                filiere_id=self.filieres[call_plan.filiere],
                title=title,
                proposed_on=plan.proposed_on,
                partners=tuple(partners),
                estimated_budget=max(candidacy.requested * 2, plan.budget_floor()),
                origin_call_id=call,
                origin_candidacy_id=candidacy.id,
            )
        ).id
        self.projects.append(project)
        approved_on = plan.proposed_on + timedelta(days=14)
        run(
            ChangeProjectStatus(
                project_id=project,
                status=ProjectStatus.APPROVED,
                effective_on=approved_on,
                decision=self.by_bureau(
                    approved_on,
                    "Projet issu d'une candidature retenue",
                    candidacy.candidate,
                    partner=plan.partner,
                ),
            )
        )
        if plan.started:
            run(
                ChangeProjectStatus(
                    project_id=project,
                    status=ProjectStatus.IN_PROGRESS,
                    effective_on=approved_on + timedelta(days=30),
                )
            )
        for funding in plan.fundings:
            self.record_funding(project, funding)
        for number in range(plan.milestones):
            reached = approved_on + timedelta(days=60 * (number + 1))
            run(ReachMilestone(project_id=project, label=f"Étape {number + 1}", reached_on=reached))
        if plan.ending is not None:
            ended = approved_on + timedelta(days=400)
            decision = None
            if plan.ending == ProjectStatus.ABANDONED:
                decision = self.by_bureau(
                    ended,
                    "Projet abandonné par son porteur",
                    candidacy.candidate,
                    partner=plan.partner,
                )
            run(
                ChangeProjectStatus(
                    project_id=project,
                    status=plan.ending,
                    effective_on=ended,
                    decision=decision,
                )
            )

    def record_funding(self, project: UUID, plan: FundingPlan) -> None:
        run = self.run
        funding_kind = FUNDERS[plan.funder][2]
        funding = run(
            GrantFunding(
                project_id=project,
                funder_id=self.funders[plan.funder],
                kind=funding_kind,
                decision=self.by_funder(plan.funder, plan.granted_on, "Soutien accordé"),
                amount=plan.amount,
            )
        ).id
        on = plan.granted_on
        for amount in plan.revisions:
            on += timedelta(days=60)
            run(
                ReviseFundingAmount(
                    funding_id=funding,
                    amount=amount,
                    decision=self.by_funder(plan.funder, on, "Montant révisé"),
                )
            )
        for amount in plan.disbursements:
            on += timedelta(days=90)
            run(RecordDisbursement(funding_id=funding, amount=amount, paid_on=on))
        if plan.cancelled:
            on += timedelta(days=30)
            run(
                CancelFunding(
                    funding_id=funding,
                    decision=self.by_funder(plan.funder, on, "Projet non réalisé"),
                )
            )

    # --- Filling up to the exact count -----------------------------------------------------
    def fill(self) -> None:
        number = 0
        while self.remaining > 0:
            number += 1
            # After the whole history, but never after today: a command refuses a future day.
            on = min(self.last_day + timedelta(days=number), today())
            if self.projects:
                project = self.rng.choice(self.projects)
                self.run(ReachMilestone(project_id=project, label=f"Bilan {number}", reached_on=on))
            else:
                company = self.rng.choice(self.companies)
                self.run(
                    RenameOrganisation(
                        organisation_id=company,
                        name=f"Entreprise renommée {number}",
                        effective_on=on,
                    )
                )

    def record(self) -> None:
        events = self.target - self.position
        # The arrondissement counts about 6,000 companies; smaller logs get fewer.
        self.set_up(companies=max(40, min(6_000, events // 40)))
        number = 0
        while True:
            size = self.rng.randrange(15, 41)
            plan = self.plan_call(number, size)
            while plan.events() > self.remaining and size > 3:
                size = max(3, size * self.remaining // plan.events())
                plan = self.plan_call(number, size)
            if plan.events() > self.remaining:
                break
            before = self.position
            self.record_call(plan)
            if self.position - before != plan.events():
                recorded = self.position - before
                raise RuntimeError(
                    f"call {number}: {plan.events()} events planned, {recorded} recorded"
                )
            number += 1
        self.calls = number
        self.fill()


def record_synthetic_history(app: FilieresApplication, events: int, seed: int = 0) -> int:
    """Record a synthetic programme of `events` events through the commands; return the calls."""
    history = _SyntheticHistory(app, events, seed)
    history.record()
    return history.calls
