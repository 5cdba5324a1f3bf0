"""Provenance: the chain of events and decisions that led to a funding line or a project.

From the nearest to the origin: the funding's grant (and its revisions or
cancellation), the project's approval and proposal, the selection of the
candidacy it came from (and any decision that reversed one), that
candidacy's submission, the call's launch, and the filière's launch. Each
step names its place in the log, its hash in the integrity chain, the body
and the people who decided, and on what grounds, so that an auditor can go
from a sum of money back to the vote that started it without a SQL prompt.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.audit.provenance_records import (
    Link,
    Provenance,
    ProvenanceStep,
)
from application.audit.stream_history import LoggedEvent, StreamSource
from application.base import FilieresApplicationBase
from application.projections.records import NamedRef
from domain.base import DomainEvent
from domain.candidacy import CandidacyDecided
from domain.decision import Decision
from domain.errors import NotFoundError
from domain.governing_body import GoverningBody
from domain.money import format_eur
from domain.organisation import Organisation
from domain.project import ProjectStatus


@dataclass(frozen=True)
class _Event:
    """A logged event with its domain event decoded (upcast) by the application's mapper."""

    logged: LoggedEvent
    event: DomainEvent

    @property
    def name(self) -> str:
        return self.logged.record.type

    def field(self, name: str) -> Any:
        return getattr(self.event, name, None)


def provenance(app: FilieresApplicationBase, source: StreamSource, subject_id: UUID) -> Provenance:
    """The chain that led to a funding or a project; NotFoundError for any other id."""
    return _Tracer(app, source).trace(subject_id)


class _Tracer:
    def __init__(self, app: FilieresApplicationBase, source: StreamSource) -> None:
        self.app = app
        self.source = source
        self._names: dict[UUID, str] = {}

    def trace(self, subject_id: UUID) -> Provenance:
        subject = self._stream(subject_id)
        if not subject:
            raise NotFoundError(f"nothing has id {subject_id}; give a funding or a project id")
        subject_type = subject[0].logged.record.aggregate_type
        steps: list[ProvenanceStep] = []
        gaps: list[str] = []
        funding_id = None
        if subject_type == "Funding":
            funding_id = subject_id
            project_id = subject[0].field("project_id")
            project = self._stream(project_id)
        elif subject_type == "Project":
            project_id, project = subject_id, subject
        else:
            raise NotFoundError(
                f"{subject_id} is a {subject_type.lower()}, neither a funding nor a project"
            )
        project_steps, proposed = self._project_steps(project)
        if funding_id is not None:
            steps += self._funding_steps(subject, proposed.field("title"))
        steps += project_steps
        if not any(e.field("status") == ProjectStatus.APPROVED for e in project):
            gaps.append("the project was never approved: no decision approves it")
        origin = proposed.field("origin_candidacy")
        call_id = candidacy_id = None
        if origin is None:
            gaps.append(
                "the project was proposed without a call: no candidacy, selection or call"
                " precedes it"
            )
        else:
            call_id, candidacy_id = origin.call_id, origin.candidacy_id
            steps += self._call_steps(self._stream(call_id), candidacy_id, gaps)
        filiere_id: UUID = proposed.field("filiere_id")
        steps += self._filiere_steps(self._stream(filiere_id))
        gaps += [
            f"the decision at position {s.position} ({s.event_type}) names no person who took it"
            for s in steps
            if s.body is not None and not s.decided_by and s.verified is None
        ]
        return Provenance(
            subject_id=subject_id,
            subject_type=subject_type,
            funding_id=funding_id,
            project_id=project_id,
            call_id=call_id,
            candidacy_id=candidacy_id,
            filiere_id=filiere_id,
            steps=steps,
            gaps=gaps,
        )

    # The links, each nearest first
    def _funding_steps(self, funding: list[_Event], project_title: str) -> list[ProvenanceStep]:
        granted = funding[0]
        funder = self._organisation(granted.field("funder_id"))
        beneficiary_id = granted.field("beneficiary_id")
        to = "" if beneficiary_id is None else f" to {self._organisation(beneficiary_id)}"

        def signed(e: _Event) -> str:
            agreement = e.field("agreement")
            return (
                f"agreement {agreement.reference!r} signed on {agreement.signed_on}"
                f" (state aid: {_kind(agreement.state_aid_regime)})"
            )

        labels: dict[str, Callable[[_Event], str]] = {
            "Funding.Granted": lambda e: (
                f"{funder} supports {project_title!r}{to} ({_kind(e.field('kind'))}):"
                f" {format_eur(e.field('amount'))}"
            ),
            "Funding.AmountRevised": lambda e: f"amount revised to {format_eur(e.field('amount'))}",
            "Funding.Cancelled": lambda e: "funding cancelled",
            "Funding.AgreementSigned": signed,
            "Funding.RecoveryRecorded": lambda e: (
                f"{format_eur(e.field('amount'))} recovered on {e.field('recovered_on')}"
            ),
        }
        return self._steps(Link.FUNDING, funding, labels)

    def _project_steps(self, project: list[_Event]) -> tuple[list[ProvenanceStep], _Event]:
        proposed = project[0]
        title = proposed.field("title")

        def proposal(e: _Event) -> str:
            budget = e.field("estimated_budget")
            text = f"project {title!r} proposed"
            if budget is not None:
                text += f", estimated at {format_eur(budget)}"
            if e.field("origin_candidacy") is not None:
                text += ", from a selected candidacy"
            return text

        decided = [e for e in project[1:] if e.field("decision") is not None]
        labels: dict[str, Callable[[_Event], str]] = {
            "Project.StatusChanged": lambda e: f"project {title!r} {_kind(e.field('status'))}",
            "Project.Proposed": proposal,
        }
        return self._steps(Link.PROJECT, [proposed, *decided], labels), proposed

    def _call_steps(
        self, call: list[_Event], candidacy_id: UUID, gaps: list[str]
    ) -> list[ProvenanceStep]:
        launched = call[0]
        submitted = next(
            (
                e
                for e in call
                if e.name == "Call.CandidacySubmitted" and e.field("candidacy_id") == candidacy_id
            ),
            None,
        )
        if submitted is None:  # the domain refuses it; an altered log could still say so
            gaps.append(f"the call holds no candidacy {candidacy_id}")
            return self._steps(Link.CALL, [launched], {"Call.Launched": self._call_launch})
        candidate = self._organisation(submitted.field("candidate_id"))
        project_title = submitted.field("project_title")
        # Every decision on the candidacy (selected, rejected, a selection withdrawn…), named
        # by the status it gives: a new kind of candidacy decision needs no change here.
        decisions = [
            e
            for e in call
            if isinstance(e.event, CandidacyDecided) and e.event.candidacy_id == candidacy_id
        ]
        labels: dict[str, Callable[[_Event], str]] = {
            e.name: (
                lambda e: f"candidacy of {candidate} ({project_title!r}) {e.field('new_status')}"
            )
            for e in decisions
        }
        steps = self._steps(Link.SELECTION, decisions, labels)
        steps += self._steps(
            Link.CANDIDACY,
            [submitted],
            {"Call.CandidacySubmitted": lambda e: f"{candidate} submits {project_title!r}"},
        )
        steps += self._steps(Link.CALL, [launched], {"Call.Launched": self._call_launch})
        return steps

    @staticmethod
    def _call_launch(event: _Event) -> str:
        return f"call {event.field('title')!r} launched"

    def _filiere_steps(self, filiere: list[_Event]) -> list[ProvenanceStep]:
        launched = filiere[0]
        lead = self._organisation(launched.field("lead_partner_id"))
        return self._steps(
            Link.FILIERE,
            [launched],
            {
                "Filiere.Launched": lambda e: (
                    f"{_FILIERE_KINDS.get(_kind(e.field('kind')), 'filière')} {e.field('name')!r}"
                    f" launched, led by {lead}"
                )
            },
        )

    # Building steps
    def _steps(
        self,
        link: Link,
        events: Iterable[_Event],
        labels: dict[str, Callable[[_Event], str]],
    ) -> list[ProvenanceStep]:
        ordered = sorted(events, key=lambda e: e.logged.record.position, reverse=True)
        return [self._step(link, e, labels[e.name](e)) for e in ordered if e.name in labels]

    def _step(self, link: Link, entry: _Event, what: str) -> ProvenanceStep:
        record = entry.logged.record
        event = entry.event
        decision: Decision | None = entry.field("decision")
        decided: dict[str, Any] = {}
        if decision is not None:
            decided = {
                "decided_on": decision.decided_on,
                "body": NamedRef(id=decision.body_id, name=self._body(decision.body_id)),
                "decided_by": list(decision.decided_by),
                "vote": decision.vote,
                "rationale": decision.rationale,
                "reference": decision.reference,
                "reverses": decision.reverses,
                "sitting_id": decision.sitting_id,
                "deliberation_number": decision.deliberation_number,
                "present_or_represented": decision.present_or_represented,
                "recused": list(decision.recused),
                "verified": decision.verified,
            }
        return ProvenanceStep(
            link=link,
            position=record.position,
            aggregate_type=record.aggregate_type,
            aggregate_id=record.aggregate_id,
            version=record.version,
            event_type=record.type,
            what=what,
            effective_on=event.effective_on,
            recorded_by=record.recorded_by,
            recorded_at=event.timestamp,
            hash=record.hash,
            source=event.meta.source if event.meta else None,
            assumptions=list(event.meta.assumptions) if event.meta else [],
            **decided,
        )

    # Reading
    def _stream(self, aggregate_id: UUID) -> list[_Event]:
        return [
            _Event(logged=logged, event=self._decode(logged))
            for logged in self.source.stream(aggregate_id)
        ]

    def _decode(self, logged: LoggedEvent) -> DomainEvent:
        event = self.app.mapper.to_domain_event(logged.stored)
        assert isinstance(event, DomainEvent)
        return event

    def _body(self, body_id: UUID) -> str:
        if body_id not in self._names:
            self._names[body_id] = self.app.load(GoverningBody, body_id).name
        return self._names[body_id]

    def _organisation(self, organisation_id: UUID) -> str:
        if organisation_id not in self._names:
            self._names[organisation_id] = self.app.load(Organisation, organisation_id).name
        return self._names[organisation_id]


_FILIERE_KINDS = {"filiere": "filière", "axis": "axis"}


def _kind(value: Any) -> str:
    """An enum member as its words: `in_kind` → `in kind`."""
    return str(getattr(value, "value", value)).replace("_", " ")
