"""Calls and their candidacies: launch, submit, withdraw, review, close, decide, conclude.

The deciding body also withdraws a selection it made (SelectionWithdrawal).
"""

from datetime import date
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import Field

from application.base import CheckedDecision, FilieresApplicationBase
from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.decision_checks import ISSUER_DECIDES, DecisionSubject
from application.payload import (
    AmountText,
    DecisionOnly,
    DecisionPayload,
    EffectiveDay,
    Payload,
    Person,
    amount_or_none,
)
from domain.call import Call, CallKind, Opinion, Title
from domain.errors import (
    AlreadyRecordedError,
    BudgetEnvelopeExceededError,
    CallConcludedError,
    CallNotOpenError,
    CandidacyAlreadyDecidedError,
    CandidacyNotSelectedError,
    CandidacyWithdrawnError,
    ChronologyError,
    FiliereClosedError,
    MaxSelectedExceededError,
    OrganisationArchivedError,
    SubmissionsStillOpenError,
)
from domain.filiere import Filiere
from domain.organisation import Organisation


class Outcome(StrEnum):
    SELECTED = "selected"
    REJECTED = "rejected"


class OnCall(Command):
    """A command on a launched call, at the version its caller expects if given."""

    call_id: UUID
    expected_version: int | None = None


class OnCandidacy(OnCall):
    """A command on one candidacy of a call (the call is the aggregate that holds it)."""

    candidacy_id: UUID


class CallCreate(Payload):
    filiere_id: UUID
    title: Title
    kind: CallKind
    issuer_id: UUID
    opens_on: date
    closes_on: date
    decision: DecisionPayload
    budget_envelope: AmountText | None = None
    max_selected: int | None = Field(default=None, ge=1, le=100_000, strict=True)


class LaunchCall(CallCreate, Command):
    """An organisation launches a call for a filière, by a decision of its body."""

    refusals = (FiliereClosedError,)
    deciders = ISSUER_DECIDES


class CandidacyCreate(Payload):
    candidate_id: UUID
    project_title: Title
    submitted_on: EffectiveDay
    requested_amount: AmountText | None = None
    candidacy_id: UUID | None = Field(
        default=None, description="Chosen by the client if given; unique within the call."
    )


class SubmitCandidacy(CandidacyCreate, OnCall):
    """A candidate submits a project to an open call."""

    refusals = (
        CallConcludedError,
        CallNotOpenError,
        OrganisationArchivedError,
        AlreadyRecordedError,
    )


class CandidacyWithdrawal(Payload):
    withdrawn_on: EffectiveDay


class WithdrawCandidacy(CandidacyWithdrawal, OnCandidacy):
    """The candidate withdraws before a decision."""

    refusals = (
        CallConcludedError,
        CandidacyAlreadyDecidedError,
        CandidacyWithdrawnError,
        ChronologyError,
    )


class ReviewCreate(Payload):
    reviewer: Person
    opinion: Opinion
    reviewed_on: EffectiveDay
    score: int | None = Field(default=None, ge=0, le=100, strict=True)


class ReviewCandidacy(ReviewCreate, OnCandidacy):
    """A reviewer gives an opinion (and a score) on a candidacy."""

    refusals = (CallConcludedError, CandidacyAlreadyDecidedError, CandidacyWithdrawnError)


class SubmissionsClosing(Payload):
    closed_on: EffectiveDay


class CloseSubmissions(SubmissionsClosing, OnCall):
    """The call takes no more candidacies."""

    refusals = (CallConcludedError, CallNotOpenError, ChronologyError)


class CandidacyDecision(Payload):
    outcome: Outcome
    decision: DecisionPayload


class DecideCandidacy(CandidacyDecision, OnCandidacy):
    """The candidacy is selected or rejected, by a decision (which may reverse an earlier one)."""

    refusals = (
        CallConcludedError,
        SubmissionsStillOpenError,
        CandidacyAlreadyDecidedError,
        CandidacyWithdrawnError,
        MaxSelectedExceededError,
        BudgetEnvelopeExceededError,
    )
    deciders = ISSUER_DECIDES


class WithdrawSelection(DecisionOnly, OnCandidacy):
    """The deciding body withdraws its selection of a candidacy, by a decision."""

    refusals = (CallConcludedError, CandidacyNotSelectedError)
    deciders = ISSUER_DECIDES


class ConcludeCall(DecisionOnly, OnCall):
    """The call is concluded, by a decision."""

    refusals = (CallConcludedError, SubmissionsStillOpenError)
    deciders = ISSUER_DECIDES


class CallCommands(FilieresApplicationBase):
    @handler
    def launch_call(self, ctx: CommandContext, command: LaunchCall) -> CommandResult:
        filiere = self.load(Filiere, command.filiere_id)
        issuer = self.load(Organisation, command.issuer_id)
        checked = self.check_decision(
            command.decision.to_domain(),
            DecisionSubject(
                f"the launch of call {command.title!r}", acting_organisation_id=issuer.id
            ),
        )
        call = Call.launch(
            filiere,
            command.title,
            command.kind,
            issuer.id,
            command.opens_on,
            command.closes_on,
            checked.decision,
            budget_envelope=amount_or_none(command.budget_envelope),
            max_selected=command.max_selected,
        )
        return self.record_decided(ctx, checked, call)

    @handler
    def submit_candidacy(self, ctx: CommandContext, command: SubmitCandidacy) -> CommandResult:
        call = self.load_for_update(Call, command.call_id, command.expected_version)
        candidate = self.load(Organisation, command.candidate_id)
        new_id = command.candidacy_id or uuid4()
        call.submit_candidacy(
            new_id,
            candidate,
            command.project_title,
            command.submitted_on,
            amount_or_none(command.requested_amount),
        )
        result = self.record(ctx, call)
        return CommandResult(result.id, result.version, result.position, candidacy_id=new_id)

    @handler
    def withdraw_candidacy(self, ctx: CommandContext, command: WithdrawCandidacy) -> CommandResult:
        call = self.load_for_update(Call, command.call_id, command.expected_version)
        call.withdraw_candidacy(command.candidacy_id, command.withdrawn_on)
        return self.record(ctx, call)

    @handler
    def review_candidacy(self, ctx: CommandContext, command: ReviewCandidacy) -> CommandResult:
        call = self.load_for_update(Call, command.call_id, command.expected_version)
        call.review_candidacy(
            command.candidacy_id,
            command.reviewer,
            command.opinion,
            command.reviewed_on,
            command.score,
        )
        return self.record(ctx, call)

    @handler
    def close_submissions(self, ctx: CommandContext, command: CloseSubmissions) -> CommandResult:
        call = self.load_for_update(Call, command.call_id, command.expected_version)
        call.close_submissions(command.closed_on)
        return self.record(ctx, call)

    @handler
    def decide_candidacy(self, ctx: CommandContext, command: DecideCandidacy) -> CommandResult:
        call, checked = self._candidacy_decision(command)
        if command.outcome == Outcome.SELECTED:
            call.select_candidacy(command.candidacy_id, checked.decision, checked.reverses)
        else:
            call.reject_candidacy(command.candidacy_id, checked.decision, checked.reverses)
        return self.record_decided(ctx, checked, call)

    @handler
    def withdraw_selection(self, ctx: CommandContext, command: WithdrawSelection) -> CommandResult:
        call, checked = self._candidacy_decision(command)
        call.withdraw_selection(command.candidacy_id, checked.decision, checked.reverses)
        return self.record_decided(ctx, checked, call)

    def _candidacy_decision(
        self, command: DecideCandidacy | WithdrawSelection
    ) -> tuple[Call, CheckedDecision]:
        """The call, and the decision if its body may take it, with the version it reverses.

        The call's body decides, none of the candidate's people among its deciders.
        """
        call = self.load_for_update(Call, command.call_id, command.expected_version)
        candidacy = call.candidacy(command.candidacy_id)
        checked = self.check_decision(
            command.decision.to_domain(),
            DecisionSubject(
                f"the candidacy {candidacy.project_title!r}",
                acting_organisation_id=call.issuer_id,
                concerned_organisation_ids=frozenset({candidacy.candidate_id}),
                interested_organisation_ids=frozenset({candidacy.candidate_id}),
            ),
            call.id,
        )
        return call, checked

    @handler
    def conclude_call(self, ctx: CommandContext, command: ConcludeCall) -> CommandResult:
        call = self.load_for_update(Call, command.call_id, command.expected_version)
        checked = self.check_decision(
            command.decision.to_domain(),
            DecisionSubject(
                f"the conclusion of call {call.title!r}", acting_organisation_id=call.issuer_id
            ),
            call.id,
        )
        call.conclude(checked.decision)
        return self.record_decided(ctx, checked, call)
