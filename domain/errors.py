"""Every refusal the domain can make; each message says what was refused and why."""


class DomainError(Exception):
    """Base of every refusal by the domain or the application."""


class NotFoundError(DomainError):
    """An id names nothing that exists (HTTP 404)."""


class InvalidValueError(DomainError, ValueError):
    """A value is malformed or out of range (HTTP 422)."""


class InvariantViolationError(DomainError):
    """The command breaks a rule of the programme (HTTP 409)."""


class ConcurrencyError(InvariantViolationError):
    """The aggregate moved on since the caller read it (HTTP 409)."""


class StaleVersionError(ConcurrencyError):
    """The expected version given by the caller is not the current one."""


class AlreadyRecordedError(InvariantViolationError):
    """The fact has already been recorded (e.g. the demo history)."""


# Organisations and filières
class OrganisationArchivedError(InvariantViolationError):
    """An archived organisation takes part in nothing new."""


class NotAPartnerError(InvariantViolationError):
    """A lead partner must be an organisation of kind partner."""


class FiliereClosedError(InvariantViolationError):
    """A closed filière takes no new call, project or member."""


class ProjectGroupError(InvariantViolationError):
    """Joining twice, or leaving a group one is not in."""


# Governing bodies and decisions
class SeatError(InvariantViolationError):
    """Seating someone already seated, or unseating someone not seated."""


class ParityError(SeatError):
    """A body composed in equal numbers: no member organisation gets more voting seats."""


class AttendanceError(InvariantViolationError):
    """A sitting's attendance that the body's seats on that day do not allow."""


class NotSeatedOnThatDayError(AttendanceError):
    """Someone without a seat in the body on the sitting's day is listed as attending."""


class ProxyHolderError(AttendanceError):
    """A proxy held by someone who is not a voting member present, or given by a non-voter."""


class SecondProxyError(AttendanceError):
    """A member holds at most one proxy at a sitting."""


class DecisionRefusedError(InvariantViolationError):
    """A decision that the programme's governance does not allow."""


class BodyCannotDecideError(DecisionRefusedError):
    """Only the bureau and external bodies decide."""


class NotAVotingMemberError(DecisionRefusedError):
    """A person named in decided_by is not a voting member on that date."""


class RecusalError(DecisionRefusedError):
    """A person who declared a conflict of interest cannot decide about it."""


class SittingError(DecisionRefusedError):
    """A decision of a body that is not external names no sitting of that body on its day."""


class QuorumNotReachedError(DecisionRefusedError):
    """The sitting had too few voting members present or represented to deliberate."""


class VoteError(DecisionRefusedError):
    """No vote, more votes than members taking part, or no majority for."""


class DecidedByError(DecisionRefusedError):
    """decided_by is not exactly the voting members of the sitting less the recused."""


class UndeclaredInterestError(DecisionRefusedError):
    """A member with an interest in the matter took part instead of being recused."""


class WrongBodyError(DecisionRefusedError):
    """The body does not act for the organisation whose act is decided."""


class ReversalError(DecisionRefusedError):
    """A reversal must name an earlier decision on the same subject."""


# Calls and candidacies
class CallNotOpenError(InvariantViolationError):
    """A candidacy before the call opens, or after its submissions closed."""


class SubmissionsStillOpenError(InvariantViolationError):
    """No selection or rejection before the submissions are closed."""


class CandidacyAlreadyDecidedError(InvariantViolationError):
    """Each candidacy is decided once, unless a later decision reverses it."""


class CandidacyWithdrawnError(InvariantViolationError):
    """A withdrawn candidacy can be neither reviewed nor decided."""


class CandidacyNotSelectedError(InvariantViolationError):
    """Only a selected candidacy has a selection to withdraw, on or after its day."""


class MaxSelectedExceededError(InvariantViolationError):
    """More selections than the call's max_selected."""


class BudgetEnvelopeExceededError(InvariantViolationError):
    """The selected requested amounts exceed the call's budget envelope."""


class CallConcludedError(InvariantViolationError):
    """A concluded call takes nothing more."""


# Projects and funding
class InvalidStatusTransitionError(InvariantViolationError):
    """Status moves only along the project lifecycle."""


class ProjectClosedError(InvariantViolationError):
    """A completed or abandoned project takes no more funding."""


class AmountUnknownError(InvariantViolationError):
    """Nothing can be disbursed while the granted amount is unknown."""


class DisbursementExceedsGrantError(InvariantViolationError):
    """Disbursed may never exceed granted."""


class FundingCancelledError(InvariantViolationError):
    """A cancelled funding line takes no revision and no disbursement."""


# Public funding (identifiers, co-financing, agreements, state aid)
class IdentifierTakenError(InvariantViolationError):
    """A SIREN, SIRET or RNA number is already held by another organisation."""


class OverFinancedError(InvariantViolationError):
    """The known amounts granted to a project exceed its estimated budget."""


class AgreementError(InvariantViolationError):
    """An agreement (convention) that cannot be signed, or a payment outside its period."""


class RecoveryExceedsPaymentsError(InvariantViolationError):
    """A recovery (reversement) of more than what was paid and not yet recovered."""


class DeMinimisCeilingError(InvariantViolationError):
    """De minimis aid to one beneficiary above the ceiling over three years."""


class ChronologyError(InvariantViolationError):
    """A fact dated before one already recorded that it follows: a payment before its grant,
    a seat before its body was constituted (HTTP 409, as every broken invariant; a value
    malformed in itself, or two dates of one request in the wrong order, stays a 422)."""


class OriginMismatchError(InvariantViolationError):
    """A project's origin candidacy is of a call of another filière."""
