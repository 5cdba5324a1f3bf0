"""Directory: every organisation and governing body, so a client can find the ids it needs.

One row each, with its name and kind as they stand, the day it was registered
or constituted, and its aggregate version and log position after the last
event of it: any event of the aggregate moves them, including kinds of event
this view does not otherwise read.
"""

from datetime import date
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.records import ReadModel
from application.projections.rows import Query, Reader, Rows, eq
from application.projections.tables import INDEXED, KEY, POSITION, UNIQUE, Table, Text
from application.projections.view import View
from domain.governing_body import BodyKind, GoverningBody
from domain.organisation import Organisation, OrganisationKind


class OrganisationRow(TypedDict):
    organisation_id: Annotated[UUID, KEY]
    registration_position: Annotated[int, POSITION, UNIQUE]
    name: Annotated[str, Text(500)]
    kind: Annotated[str, Text(32), INDEXED]
    registered_on: date
    archived_on: date | None
    version: int
    position: Annotated[int, POSITION]


class BodyRow(TypedDict):
    body_id: Annotated[UUID, KEY]
    constitution_position: Annotated[int, POSITION, UNIQUE]
    name: Annotated[str, Text(500)]
    kind: Annotated[str, Text(32), INDEXED]
    organisation_id: UUID | None
    recorded_on: date
    """The day the constitution was recorded as effective: its date, when known."""
    constituted_on: date | None
    version: int
    position: Annotated[int, POSITION]


ORGANISATIONS = Table("directory_organisations", OrganisationRow)
BODIES = Table("directory_bodies", BodyRow)
VIEW = View("directory", version=1, tables=(ORGANISATIONS, BODIES))


class OrganisationEntry(ReadModel):
    id: UUID
    name: str
    kind: OrganisationKind
    registered_on: date
    archived_on: date | None
    version: int
    """The organisation's version: its ETag for a command's If-Match is `"version"`."""
    position: int


class BodyEntry(ReadModel):
    id: UUID
    name: str
    kind: BodyKind
    organisation_id: UUID | None
    """The organisation an external body acts for."""
    constituted_on: date | None
    """None when the history does not say when the body was constituted."""
    recorded_on: date
    version: int
    """The body's version: its ETag for a command's If-Match is `"version"`."""
    position: int


# Organisations
@VIEW.handles
def registered(event: Organisation.Registered, rows: Rows, at: Tracking) -> None:
    rows.insert(
        ORGANISATIONS,
        {
            "organisation_id": event.originator_id,
            "registration_position": at.notification_id,
            "name": event.name,
            "kind": event.kind.value,
            "registered_on": event.effective_on,
            "archived_on": None,
            "version": event.originator_version,
            "position": at.notification_id,
        },
    )


@VIEW.handles
def renamed(event: Organisation.Renamed, rows: Rows, at: Tracking) -> None:
    _touch_organisation(rows, event, at, {"name": event.name})


@VIEW.handles
def archived(event: Organisation.Archived, rows: Rows, at: Tracking) -> None:
    _touch_organisation(rows, event, at, {"archived_on": event.effective_on})


@VIEW.handles
def organisation_changed(event: Organisation.Event, rows: Rows, at: Tracking) -> None:
    """Any other event of an organisation: only its version and position move."""
    _touch_organisation(rows, event, at, {})


def _touch_organisation(
    rows: Rows, event: Organisation.Event, at: Tracking, values: dict[str, object]
) -> None:
    values.update(version=event.originator_version, position=at.notification_id)
    rows.update(ORGANISATIONS, (event.originator_id,), values)


# Governing bodies
@VIEW.handles
def constituted(event: GoverningBody.Constituted, rows: Rows, at: Tracking) -> None:
    rows.insert(
        BODIES,
        {
            "body_id": event.originator_id,
            "constitution_position": at.notification_id,
            "name": event.name,
            "kind": event.kind.value,
            "organisation_id": event.organisation_id,
            "recorded_on": event.effective_on,
            "constituted_on": None if event.constitution_date_unknown else event.effective_on,
            "version": event.originator_version,
            "position": at.notification_id,
        },
    )


@VIEW.handles
def body_changed(event: GoverningBody.Event, rows: Rows, at: Tracking) -> None:
    """Seats, meetings, declarations: the directory keeps only the body's version."""
    values = {"version": event.originator_version, "position": at.notification_id}
    rows.update(BODIES, (event.originator_id,), values)


# Reads: the whole list, filtered by kind here and by name by the caller (a short list).
def organisations(db: Reader, kind: OrganisationKind | None = None) -> list[OrganisationEntry]:
    where = () if kind is None else (eq("kind", kind.value),)
    query = Query(ORGANISATIONS, where=where, order_by=("registration_position",))
    return [
        OrganisationEntry.model_validate({**row, "id": row["organisation_id"]})
        for row in db.select(query)
    ]


def bodies(db: Reader, kind: BodyKind | None = None) -> list[BodyEntry]:
    where = () if kind is None else (eq("kind", kind.value),)
    query = Query(BODIES, where=where, order_by=("constitution_position",))
    return [BodyEntry.model_validate({**row, "id": row["body_id"]}) for row in db.select(query)]
