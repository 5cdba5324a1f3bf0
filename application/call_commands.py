"""Calls and their candidacies: launch, submit, withdraw, review, close, decide, conclude."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from application.base import FilieresApplicationBase, choice, command
from application.context import CommandContext, CommandResult
from application.decision_checks import DecisionSubject
from domain.call import Call, CallKind
from domain.decision import Decision
from domain.filiere import Filiere
from domain.money import to_amount
from domain.organisation import Organisation


class Outcome(StrEnum):
    SELECTED = "selected"
    REJECTED = "rejected"


class CallCommands(FilieresApplicationBase):
    @command
    def launch_call(
        self,
        ctx: CommandContext,
        filiere_id: UUID,
        title: str,
        kind: CallKind,
        issuer_id: UUID,
        opens_on: date,
        closes_on: date,
        decision: Decision,
        budget_envelope: Decimal | str | None = None,
        max_selected: int | None = None,
    ) -> CommandResult:
        filiere = self.load(Filiere, filiere_id)
        issuer = self.load(Organisation, issuer_id)
        self.check_decision(
            decision,
            DecisionSubject(f"the launch of call {title!r}", acting_organisation_id=issuer.id),
        )
        call = Call.launch(
            filiere,
            title,
            choice(CallKind, kind, "kind"),
            issuer.id,
            opens_on,
            closes_on,
            decision,
            budget_envelope=None if budget_envelope is None else to_amount(budget_envelope),
            max_selected=max_selected,
        )
        return self.record(ctx, call)

    @command
    def submit_candidacy(
        self,
        ctx: CommandContext,
        call_id: UUID,
        candidate_id: UUID,
        project_title: str,
        submitted_on: date,
        requested_amount: Decimal | str | None = None,
        candidacy_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        call = self.load_for_update(Call, call_id, expected_version)
        candidate = self.load(Organisation, candidate_id)
        new_id = candidacy_id or uuid4()
        call.submit_candidacy(
            new_id,
            candidate,
            project_title,
            submitted_on,
            None if requested_amount is None else to_amount(requested_amount),
        )
        result = self.record(ctx, call)
        return CommandResult(result.id, result.version, result.position, candidacy_id=new_id)

    @command
    def withdraw_candidacy(
        self,
        ctx: CommandContext,
        call_id: UUID,
        candidacy_id: UUID,
        withdrawn_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        call = self.load_for_update(Call, call_id, expected_version)
        call.withdraw_candidacy(candidacy_id, withdrawn_on)
        return self.record(ctx, call)

    @command
    def review_candidacy(
        self,
        ctx: CommandContext,
        call_id: UUID,
        candidacy_id: UUID,
        reviewer: str,
        opinion: str,
        reviewed_on: date,
        score: int | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        call = self.load_for_update(Call, call_id, expected_version)
        call.review_candidacy(candidacy_id, reviewer, opinion, reviewed_on, score)
        return self.record(ctx, call)

    @command
    def close_submissions(
        self,
        ctx: CommandContext,
        call_id: UUID,
        closed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        call = self.load_for_update(Call, call_id, expected_version)
        call.close_submissions(closed_on)
        return self.record(ctx, call)

    @command
    def decide_candidacy(
        self,
        ctx: CommandContext,
        call_id: UUID,
        candidacy_id: UUID,
        outcome: Outcome,
        decision: Decision,
        expected_version: int | None = None,
    ) -> CommandResult:
        call = self.load_for_update(Call, call_id, expected_version)
        candidacy = call.candidacy(candidacy_id)
        reverses = self.check_decision(
            decision,
            DecisionSubject(
                f"the candidacy {candidacy.project_title!r}",
                acting_organisation_id=call.issuer_id,
                concerned_organisation_ids=frozenset({candidacy.candidate_id}),
            ),
            call_id,
        )
        if choice(Outcome, outcome, "outcome") == Outcome.SELECTED:
            call.select_candidacy(candidacy_id, decision, reverses)
        else:
            call.reject_candidacy(candidacy_id, decision, reverses)
        return self.record(ctx, call)

    @command
    def conclude_call(
        self,
        ctx: CommandContext,
        call_id: UUID,
        decision: Decision,
        expected_version: int | None = None,
    ) -> CommandResult:
        call = self.load_for_update(Call, call_id, expected_version)
        self.check_decision(
            decision,
            DecisionSubject(
                f"the conclusion of call {call.title!r}", acting_organisation_id=call.issuer_id
            ),
            call_id,
        )
        call.conclude(decision)
        return self.record(ctx, call)
