"""Funding lines: granted by a funder's decision, revised, paid out, cancelled."""

from datetime import date
from uuid import UUID

from pydantic import Field

from api.http.schemas.common import AmountText, DecisionPayload, Payload
from domain.funding import FundingKind


class FundingCreate(Payload):
    project_id: UUID
    funder_id: UUID
    kind: FundingKind
    decision: DecisionPayload
    amount: AmountText | None = Field(
        default=None, description="Omit or null when the decision sets no amount yet."
    )


class AmountRevision(Payload):
    amount: AmountText
    decision: DecisionPayload


class DisbursementCreate(Payload):
    amount: AmountText
    paid_on: date
