"""What a funding line is checked against beyond itself: its project's co-financing and its
beneficiary's de minimis aid, each kept by an aggregate saved with the line."""

from datetime import date, datetime
from typing import cast
from uuid import UUID

from eventsourcing.utils import get_topic

from application.base import FilieresApplicationBase
from domain.agreement import StateAidRegime
from domain.base import Aggregate, DomainEvent
from domain.de_minimis import DeMinimisRegister
from domain.errors import AgreementError, NotFoundError
from domain.funding import Funding
from domain.organisation import Organisation
from domain.project import Project
from domain.project_financing import FinancingLine, ProjectFinancing

PAGE = 500


class FundingChecks(FilieresApplicationBase):
    _first_financing: datetime | None = None
    """When the first co-financing record was opened (read once from the log)."""

    def financed(self, funding: Funding, project: Project, on: date) -> list[Aggregate]:
        """The project's co-financing with this line's known amount, if it changes; else []."""
        if project.estimated_budget is None:
            return []  # no budget to exceed (and none can be set later)
        amount = None if funding.is_cancelled else funding.amount
        financing = self._financing_of(project)
        if financing is None:
            if amount is None:
                return []  # nothing known to add, nothing to keep yet
            financing = self._open_financing(project, funding.id, on)
        financing.set_line(funding.id, amount, project.estimated_budget, project.title, on)
        return [financing] if financing.pending_events else []

    def de_minimis(self, funding: Funding) -> list[Aggregate]:
        """The beneficiary's de minimis register with this line's aid, for de minimis lines."""
        agreement = funding.agreement
        if agreement is None or agreement.state_aid_regime != StateAidRegime.DE_MINIMIS:
            return []
        if funding.beneficiary_id is None:
            raise AgreementError(
                "aid under the de minimis regime is capped per beneficiary; this funding names"
                " no beneficiary"
            )
        beneficiary = self.load(Organisation, funding.beneficiary_id)
        register_id = DeMinimisRegister.create_id(beneficiary.id)
        try:
            register = self.load(DeMinimisRegister, register_id)
        except NotFoundError:
            register = DeMinimisRegister(
                beneficiary_id=beneficiary.id, effective_on=agreement.signed_on
            )
        amount = None if funding.is_cancelled else funding.amount
        if amount is None:
            register.withdraw_aid(funding.id, agreement.signed_on)
        else:
            register.record_aid(funding.id, agreement.signed_on, amount, beneficiary.name)
        return [register] if register.pending_events else []

    def _financing_of(self, project: Project) -> ProjectFinancing | None:
        try:
            return self.load(ProjectFinancing, ProjectFinancing.create_id(project.id))
        except NotFoundError:
            return None

    def _open_financing(self, project: Project, leaving_out: UUID, on: date) -> ProjectFinancing:
        """Opened with the known amounts of the project's lines granted before it was kept."""
        lines = [
            FinancingLine(funding_id=f.id, amount=f.amount)
            for f in (self._fundings_of(project.id) if self._older_than_financing(project) else [])
            if f.id != leaving_out and f.amount is not None and not f.is_cancelled
        ]
        return ProjectFinancing(project_id=project.id, lines=tuple(lines), effective_on=on)

    def _older_than_financing(self, project: Project) -> bool:
        """Whether the project may have lines granted before co-financing was kept.

        A project proposed after the first financing record was opened has had
        each of its lines' known amounts recorded: no need to read the log.
        """
        if self._first_financing is None:
            opened = [get_topic(ProjectFinancing.Opened)]
            first = self.recorder.select_notifications(start=1, limit=1, topics=opened)
            if not first:
                return True
            opening = cast(DomainEvent, self.mapper.to_domain_event(first[0]))
            self._first_financing = opening.timestamp
        return project.created_on < self._first_financing

    def _fundings_of(self, project_id: UUID) -> list[Funding]:
        """Every funding line of the project, read from the log (once per project)."""
        granted, start, found = [get_topic(Funding.Granted)], 1, []
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE, topics=granted)
            for notification in page:
                event = self.mapper.to_domain_event(notification)
                if isinstance(event, Funding.Granted) and event.project_id == project_id:
                    found.append(self.load(Funding, event.originator_id))
            if len(page) < PAGE:
                return found
            start = page[-1].id + 1
