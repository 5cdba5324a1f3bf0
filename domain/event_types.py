"""Every event class under one name, for code that dispatches on event types.

The library creates most event classes from `@event("Name")` decorators, which
type checkers cannot see; projections and the audit read them from here.
"""

from typing import cast

from domain.base import Aggregate
from domain.call import Call
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.project import Project


def _event(aggregate: type[Aggregate], name: str) -> type[Aggregate.Event]:
    return cast(type[Aggregate.Event], vars(aggregate)[name])


OrganisationRegistered = _event(Organisation, "Registered")
OrganisationRenamed = _event(Organisation, "Renamed")
OrganisationArchived = _event(Organisation, "Archived")

BodyConstituted = _event(GoverningBody, "Constituted")
MemberSeated = _event(GoverningBody, "MemberSeated")
MemberUnseated = _event(GoverningBody, "MemberUnseated")
MeetingHeld = _event(GoverningBody, "MeetingHeld")
ConflictOfInterestDeclared = _event(GoverningBody, "ConflictOfInterestDeclared")

FiliereLaunched = _event(Filiere, "Launched")
LeadPartnerChanged = _event(Filiere, "LeadPartnerChanged")
ProjectGroupMemberJoined = _event(Filiere, "ProjectGroupMemberJoined")
ProjectGroupMemberLeft = _event(Filiere, "ProjectGroupMemberLeft")
ObjectiveSet = _event(Filiere, "ObjectiveSet")
FiliereClosed = _event(Filiere, "Closed")

CallLaunched = _event(Call, "Launched")
CandidacySubmitted = _event(Call, "CandidacySubmitted")
CandidacyWithdrawn = _event(Call, "CandidacyWithdrawn")
CandidacyReviewed = _event(Call, "CandidacyReviewed")
SubmissionsClosed = _event(Call, "SubmissionsClosed")
CandidacySelected = _event(Call, "CandidacySelected")
CandidacyRejected = _event(Call, "CandidacyRejected")
CallConcluded = _event(Call, "Concluded")

ProjectProposed = _event(Project, "Proposed")
ProjectPartnerJoined = _event(Project, "PartnerJoined")
ProjectStatusChanged = _event(Project, "StatusChanged")
MilestoneReached = _event(Project, "MilestoneReached")

FundingGranted = _event(Funding, "Granted")
FundingAmountRevised = _event(Funding, "AmountRevised")
DisbursementRecorded = _event(Funding, "DisbursementRecorded")
FundingCancelled = _event(Funding, "Cancelled")

ALL: tuple[type[Aggregate.Event], ...] = tuple(
    value
    for value in list(globals().values())
    if isinstance(value, type)
    and issubclass(value, Aggregate.Event)
    and value is not Aggregate.Event
)
"""Every event class of the six aggregates."""
