"""DecisionRegister: one row per decision — the *who decided what* report."""

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from application.projections.events import topics_handled
from application.projections.records import DecisionEntry, RegisterFilter
from application.projections.view import View
from domain.base import DomainEvent
from domain.call import Call
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.project import Project


@dataclass(frozen=True)
class Subject:
    """What a decision is about, as far as its event tells."""

    title: str | None = None
    """The subject's title when the decision creates it; else the register's remembered one."""
    filiere_id: UUID | None = None
    filiere_of: UUID | None = None
    """An aggregate already known to the register whose filière the subject shares."""
    candidacy_id: UUID | None = None
    amount: Decimal | None = None


class DecisionRegisterView(View):
    name = "decision_register"
    version = 1

    @abstractmethod
    def body_constituted(self, body_id: UUID, name: str, tracking: Tracking) -> None: ...

    @abstractmethod
    def project_proposed(
        self, project_id: UUID, title: str, filiere_id: UUID, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def candidacy_submitted(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        project_title: str,
        amount: Decimal | None,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def decision_recorded(self, event: DomainEvent, tracking: Tracking, about: Subject) -> None:
        """Add the register's row for a decision event; mark the decision it reverses."""

    # Reading
    @abstractmethod
    def entries(
        self, where: RegisterFilter, limit: int, after: tuple[date, int] | None
    ) -> list[DecisionEntry]:
        """Decisions matching `where`, by date then log position, after the `after` key."""


class DecisionRegisterProjection(Projection[DecisionRegisterView]):
    name = DecisionRegisterView.name

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Events that are not decisions and name nothing the register shows."""

    # What the rows name
    @process_event.register(GoverningBody.Constituted)
    def _body(self, event: Any, tracking: Tracking) -> None:
        self.view.body_constituted(event.originator_id, event.name, tracking)

    @process_event.register(Project.Proposed)
    def _project(self, event: Any, tracking: Tracking) -> None:
        self.view.project_proposed(event.originator_id, event.title, event.filiere_id, tracking)

    @process_event.register(Call.CandidacySubmitted)
    def _candidacy(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_submitted(
            event.originator_id,
            event.candidacy_id,
            event.project_title,
            event.requested_amount,
            tracking,
        )

    # Decisions
    @process_event.register(Filiere.Launched)
    def _filiere_launched(self, event: Any, tracking: Tracking) -> None:
        about = Subject(title=event.name, filiere_id=event.originator_id)
        self.view.decision_recorded(event, tracking, about)

    @process_event.register(Call.Launched)
    def _call_launched(self, event: Any, tracking: Tracking) -> None:
        about = Subject(
            title=event.title, filiere_id=event.filiere_id, amount=event.budget_envelope
        )
        self.view.decision_recorded(event, tracking, about)

    @process_event.register(Funding.Granted)
    def _granted(self, event: Any, tracking: Tracking) -> None:
        about = Subject(filiere_of=event.project_id, amount=event.amount)
        self.view.decision_recorded(event, tracking, about)

    @process_event.register(Call.CandidacySelected)
    @process_event.register(Call.CandidacyRejected)
    def _candidacy_decided(self, event: Any, tracking: Tracking) -> None:
        self.view.decision_recorded(event, tracking, Subject(candidacy_id=event.candidacy_id))

    @process_event.register(Funding.AmountRevised)
    def _revised(self, event: Any, tracking: Tracking) -> None:
        self.view.decision_recorded(event, tracking, Subject(amount=event.amount))

    @process_event.register(Filiere.LeadPartnerChanged)
    @process_event.register(Filiere.Closed)
    @process_event.register(Call.Concluded)
    @process_event.register(Funding.Cancelled)
    def _decided(self, event: Any, tracking: Tracking) -> None:
        self.view.decision_recorded(event, tracking, Subject())

    @process_event.register(Project.StatusChanged)
    def _project_status(self, event: Any, tracking: Tracking) -> None:
        if event.decision is not None:
            self.view.decision_recorded(event, tracking, Subject())


DecisionRegisterProjection.topics = topics_handled(DecisionRegisterProjection)
