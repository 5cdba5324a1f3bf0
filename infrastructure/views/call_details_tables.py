"""The tables of the CallDetails view: calls, their candidacies and the candidacies' reviews."""

from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from domain.candidacy import CandidacyStatus
from infrastructure.views.column_types import Cents

ZERO = Decimal("0.00")
metadata = MetaData()

calls = Table(
    "call_details",
    metadata,
    Column("call_id", Uuid, primary_key=True),
    Column("launch_position", BigInteger, nullable=False, unique=True),
    Column("filiere_id", Uuid, nullable=False, index=True),
    Column("title", String(500), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("issuer_id", Uuid, nullable=False),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
    Column("budget_envelope", Cents),
    Column("max_selected", Integer),
    Column("status", String(32), nullable=False),
    Column("launched_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("concluded_on", Date),
    Column("candidacies_submitted", Integer, nullable=False, default=0),
    Column("candidacies_withdrawn", Integer, nullable=False, default=0),
    Column("candidacies_selected", Integer, nullable=False, default=0),
    Column("candidacies_rejected", Integer, nullable=False, default=0),
    Column("selected_amount", Cents, nullable=False, default=ZERO),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
)
candidacies = Table(
    "call_details_candidacies",
    metadata,
    # A candidacy's id is unique within its call only (a client may choose it).
    Column("call_id", Uuid, primary_key=True),
    Column("candidacy_id", Uuid, primary_key=True),
    Column("submit_position", BigInteger, nullable=False),
    Column("candidate_id", Uuid, nullable=False),
    Column("project_title", String(500), nullable=False),
    Column("requested_amount", Cents),
    Column("submitted_on", Date, nullable=False),
    Column("status", String(32), nullable=False),
    Column("withdrawn_on", Date),
    Column("decided_on", Date),
    Column("decision_position", BigInteger),
    Column("review_count", Integer, nullable=False, default=0),
)
reviews = Table(
    "call_details_reviews",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("call_id", Uuid, nullable=False),
    Column("candidacy_id", Uuid, nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("score", Integer),
    Column("opinion", String(4000), nullable=False),
    Column("reviewed_on", Date, nullable=False),
    Index("call_details_reviews_by_call", "call_id", "candidacy_id"),
)

COUNT_COLUMN = {status: f"candidacies_{status.value}" for status in CandidacyStatus}
