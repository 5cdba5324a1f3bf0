"""The tables of the FiliereOverview view: the overview rows and the lookups behind them."""

from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
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

overview = Table(
    "filiere_overview",
    metadata,
    Column("filiere_id", Uuid, primary_key=True),
    Column("launch_position", BigInteger, nullable=False, unique=True),
    Column("name", String(500), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("launched_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("lead_partner_id", Uuid, nullable=False),
    Column("candidacies_submitted", Integer, nullable=False, default=0),
    Column("candidacies_selected", Integer, nullable=False, default=0),
    Column("candidacies_rejected", Integer, nullable=False, default=0),
    Column("candidacies_withdrawn", Integer, nullable=False, default=0),
    Column("granted", Cents, nullable=False, default=ZERO),
    Column("disbursed", Cents, nullable=False, default=ZERO),
    Column("lines_without_amount", Integer, nullable=False, default=0),
    Column("last_decision_position", BigInteger),
    Column("last_decision_aggregate_id", Uuid),
    Column("last_decision_event", String(100)),
    Column("last_decision_on", Date),
    Column("last_decision_body_id", Uuid),
    Column("last_decision_rationale", String(4000)),
    Column("version_position", BigInteger, nullable=False),
)
organisations = Table(
    "filiere_overview_organisations",
    metadata,
    Column("organisation_id", Uuid, primary_key=True),
    Column("name", String(500), nullable=False),
)
project_group = Table(
    "filiere_overview_project_group",
    metadata,
    Column("filiere_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, primary_key=True),
    Column("joined_on", Date, nullable=False),
)
calls = Table(
    "filiere_overview_calls",
    metadata,
    Column("call_id", Uuid, primary_key=True),
    Column("filiere_id", Uuid, nullable=False, index=True),
    Column("launch_position", BigInteger, nullable=False),
    Column("title", String(500), nullable=False),
    Column("status", String(32), nullable=False),
)
candidacies = Table(
    "filiere_overview_candidacies",
    metadata,
    # A candidacy's id is unique within its call only (clients may choose it).
    Column("call_id", Uuid, primary_key=True),
    Column("candidacy_id", Uuid, primary_key=True),
    Column("status", String(32), nullable=False),
)
projects = Table(
    "filiere_overview_projects",
    metadata,
    Column("project_id", Uuid, primary_key=True),
    Column("filiere_id", Uuid, nullable=False),
    Column("status", String(32), nullable=False),
    Index("filiere_overview_projects_by_filiere", "filiere_id", "status"),
)
fundings = Table(
    "filiere_overview_fundings",
    metadata,
    Column("funding_id", Uuid, primary_key=True),
    Column("filiere_id", Uuid, nullable=False),
    Column("funder_id", Uuid, nullable=False),
    Column("amount", Cents),
    Column("cancelled", Boolean, nullable=False, default=False),
)
funders = Table(
    "filiere_overview_funders",
    metadata,
    Column("filiere_id", Uuid, primary_key=True),
    Column("funder_id", Uuid, primary_key=True),
    Column("granted", Cents, nullable=False, default=ZERO),
    Column("disbursed", Cents, nullable=False, default=ZERO),
    Column("lines_without_amount", Integer, nullable=False, default=0),
)

COUNT_COLUMN = {
    CandidacyStatus.SELECTED: "candidacies_selected",
    CandidacyStatus.REJECTED: "candidacies_rejected",
    CandidacyStatus.WITHDRAWN: "candidacies_withdrawn",
}
