"""The integrity chain: `verify` names the first event altered, removed, inserted or reordered.

Each test tampers with the store as an intruder with SQL access would, by
direct SQL on the events and chain tables, then checks what `verify` says.
"""

import json
import uuid
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import Connection, Table, delete, insert, select, update
from typer.testing import CliRunner

from api.bootstrap import Services
from api.cli.app import app as cli
from application.audit.chain_verification import ChainVerification
from application.audit.event_record import canonical_json, chain_hash, content_hash
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.integrity_chain import CHAIN

runner = CliRunner()
WIDE = {"COLUMNS": "400"}


class Intruder:
    """Direct SQL on the store's events and chain tables, as someone with database access."""

    def __init__(self, services: Services) -> None:
        self.engine = services.app.factory.datastore.engine  # type: ignore[attr-defined]
        self.events: Table = services.app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]

    def positions(self) -> list[int]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(select(self.events.c.id).order_by(self.events.c.id)).scalars()
            )

    def event(self, position: int) -> dict[str, Any]:
        with self.engine.connect() as connection:
            row = connection.execute(select(self.events).where(self.events.c.id == position)).one()
        return dict(row._mapping)

    def link(self, position: int) -> tuple[str, str]:
        with self.engine.connect() as connection:
            row = connection.execute(select(CHAIN).where(CHAIN.c.position == position)).one()
        return row.content_hash, row.chain_hash

    def head(self) -> str:
        with self.engine.connect() as connection:
            last = select(CHAIN.c.chain_hash).order_by(CHAIN.c.position.desc()).limit(1)
            return str(connection.execute(last).scalar_one())

    def position_holding(self, text: bytes, after: int) -> int:
        """The first position past `after` whose stored state contains `text`."""
        for position in self.positions():
            if position > after and text in self.event(position)["state"]:
                return position
        raise AssertionError(f"no event past {after} holds {text!r}")

    def set_state(self, position: int, state: bytes) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(self.events).where(self.events.c.id == position).values(state=state)
            )

    def set_link(self, position: int, **hashes: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(CHAIN).where(CHAIN.c.position == position).values(**hashes))

    def delete_event(self, position: int, with_link: bool = False) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(self.events).where(self.events.c.id == position))
            if with_link:
                connection.execute(delete(CHAIN).where(CHAIN.c.position == position))

    def forge_event(self, position: int | None = None, after_hash: str | None = None) -> int:
        """A copy of the first event under a new aggregate id, at `position` or the log's end.

        With `after_hash`, a chain row for it too, recomputed to follow that hash.
        """
        model = self.event(self.positions()[0])
        forged = {
            "originator_id": uuid.uuid4(),
            "originator_version": 1,
            "topic": model["topic"],
            "state": model["state"].replace(b"Roanne", b"Forgery"),
        }
        if position is not None:
            forged["id"] = position
        with self.engine.begin() as connection:
            inserted = connection.execute(insert(self.events).values(**forged))
            at = position if position is not None else inserted.inserted_primary_key[0]
            if after_hash is not None:
                content = content_hash(
                    str(forged["originator_id"]), 1, model["topic"], forged["state"]
                )
                connection.execute(
                    insert(CHAIN).values(
                        position=at,
                        content_hash=content,
                        chain_hash=chain_hash(after_hash, content),
                    )
                )
        return int(at)

    def make_room_after(self, position: int) -> None:
        """Move every event and chain row past `position` one place on, as a forger must."""
        with self.engine.begin() as connection:
            _shift(connection, self.events, self.events.c.id, position)
            _shift(connection, CHAIN, CHAIN.c.position, position)

    def swap_positions(self, first: int, second: int) -> None:
        """Swap two events' ids: each now sits at the other's place in the log."""
        column = self.events.c.id
        with self.engine.begin() as connection:
            for old, new in ((first, -first), (second, first), (-first, second)):
                connection.execute(update(self.events).where(column == old).values(id=new))

    def swap_contents(self, first: int, second: int) -> None:
        """Swap two events' originator, version, topic and state, leaving the ids."""
        fields = ("originator_id", "originator_version", "topic", "state")
        a, b = self.event(first), self.event(second)
        column = self.events.c.id
        with self.engine.begin() as connection:
            # Out of the way first: (originator_id, originator_version) is unique.
            connection.execute(
                update(self.events).where(column == first).values(originator_version=-1)
            )
            connection.execute(
                update(self.events).where(column == second).values({f: a[f] for f in fields})
            )
            connection.execute(
                update(self.events).where(column == first).values({f: b[f] for f in fields})
            )


def _shift(connection: Connection, table: Table, key: Any, past: int) -> None:
    # Through negative keys: a unique key may not collide halfway through an UPDATE.
    connection.execute(update(table).where(key > past).values({key.name: -(key + 1)}))
    connection.execute(update(table).where(key < 0).values({key.name: -key}))


def verify(services: Services) -> ChainVerification:
    return AuditLogStore.of(services.app).verify()


def assert_broken(result: ChainVerification, position: int, reason: str, *words: str) -> None:
    assert not result.ok, result
    assert result.first_broken is not None
    assert (result.first_broken.position, result.first_broken.reason) == (position, reason), result
    for word in words:
        assert word in result.first_broken.detail, result.first_broken.detail


@pytest.fixture
def intruder(demo_services: Services) -> Intruder:
    return Intruder(demo_services)


def test_an_intact_log_verifies_up_to_its_last_chain_row(demo_services, intruder):
    result = verify(demo_services)

    assert result.ok and result.first_broken is None
    assert result.events_checked == demo_services.app.event_count() == 137
    assert result.head_hash == intruder.head()


def test_an_event_whose_state_was_updated_is_altered(demo_services, intruder):
    position = intruder.position_holding(b'"name":"', after=40)
    state = intruder.event(position)["state"]
    intruder.set_state(position, state.replace(b'"name":"', b'"name":"X', 1))

    result = verify(demo_services)

    assert_broken(result, position, "altered", "changed after it was recorded")
    assert result.events_checked == intruder.positions().index(position)
    assert result.head_hash == intruder.link(position - 1)[1]


def test_an_event_that_is_no_longer_json_is_altered(demo_services, intruder):
    intruder.set_state(70, b"{not json")

    assert_broken(verify(demo_services), 70, "altered", "JSON")


def test_a_deleted_event_is_removed(demo_services, intruder):
    intruder.delete_event(60)

    assert_broken(verify(demo_services), 60, "removed")


def test_an_event_deleted_with_its_chain_row_is_removed(demo_services, intruder):
    intruder.delete_event(60, with_link=True)

    result = verify(demo_services)

    assert_broken(result, 60, "removed", "between positions 59 and 61")
    assert result.events_checked == 59


def test_an_event_inserted_without_a_chain_row_is_inserted(demo_services, intruder):
    forged = intruder.forge_event()

    result = verify(demo_services)

    assert forged == 138
    assert_broken(result, forged, "inserted", "never recorded")
    assert result.events_checked == 137


def test_an_event_inserted_in_the_middle_with_a_forged_chain_row_is_inserted(
    demo_services, intruder
):
    intruder.make_room_after(50)
    forged = intruder.forge_event(position=51, after_hash=intruder.link(50)[1])

    result = verify(demo_services)

    # The forged row itself links; the next one only follows the event before it.
    assert_broken(result, forged, "inserted", "position 52")
    assert result.events_checked == 51


def test_an_event_appended_with_a_recomputed_chain_leaves_the_chain_valid_but_not_the_tree(
    demo_services, intruder
):
    anchored = verify(demo_services).head_hash

    forged = intruder.forge_event(after_hash=intruder.head())
    result = verify(demo_services)

    # The chain alone shows it only by a new head hash; the tree has no leaf for it.
    assert result.first_broken is None and result.events_checked == 138 == forged
    assert result.head_hash != anchored
    assert result.head_hash == intruder.head()
    assert not result.ok and result.tree is not None and result.tree.first_broken is not None
    assert (result.tree.first_broken.position, result.tree.first_broken.reason) == (
        forged,
        "missing",
    )


@pytest.mark.parametrize("swap", ["positions", "contents"])
def test_two_events_swapped_are_reordered(demo_services, intruder, swap):
    getattr(intruder, f"swap_{swap}")(40, 90)

    result = verify(demo_services)

    assert_broken(result, 40, "reordered", "position 90")
    assert result.events_checked == 39


def test_an_edited_chain_hash_is_altered(demo_services, intruder):
    intruder.set_link(80, chain_hash="f" * 64)

    assert_broken(verify(demo_services), 80, "altered", "does not follow")


def test_an_edited_content_hash_is_altered(demo_services, intruder):
    intruder.set_link(80, content_hash="0" * 64)

    assert_broken(verify(demo_services), 80, "altered", "content hash of its chain row")


def test_an_event_rewritten_with_its_chain_row_is_altered_at_its_position(demo_services, intruder):
    position = intruder.position_holding(b'"name":"', after=40)
    event = intruder.event(position)
    state = event["state"].replace(b'"name":"', b'"name":"X', 1)
    content = content_hash(
        str(event["originator_id"]), event["originator_version"], event["topic"], state
    )
    intruder.set_state(position, state)
    intruder.set_link(
        position,
        content_hash=content,
        chain_hash=chain_hash(intruder.link(position - 1)[1], content),
    )

    assert_broken(verify(demo_services), position, "altered", "rewritten")


def test_get_verify_answers_ok_then_names_the_broken_position(
    demo_services, client, auditor, intruder
):
    response = client.get("/audit/verify", headers=auditor)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert {key: answer[key] for key in ("ok", "events_checked", "first_broken", "head_hash")} == {
        "ok": True,
        "events_checked": 137,
        "first_broken": None,
        "head_hash": intruder.head(),
    }
    assert answer["tree"]["ok"] and answer["tree"]["size"] == 137
    assert answer["snapshots"]["ok"] and answer["checkpoint"] is None

    intruder.delete_event(77)
    response = client.get("/audit/verify", headers=auditor)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["ok"] is False and answer["events_checked"] == 76
    assert answer["first_broken"]["position"] == 77
    assert answer["first_broken"]["reason"] == "removed"
    assert answer["first_broken"]["detail"]


def test_the_cli_verify_exits_1_naming_the_broken_position(demo_url, intruder):
    ok = runner.invoke(cli, ["audit", "verify", "--database-url", demo_url], env=WIDE)

    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output and "137 events" in ok.output and intruder.head() in ok.output

    intruder.set_state(33, intruder.event(33)["state"].replace(b"20", b"19", 1))
    broken = runner.invoke(cli, ["audit", "verify", "--database-url", demo_url], env=WIDE)

    assert broken.exit_code == 1, broken.output
    assert "position 33" in broken.output and "altered" in broken.output


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=6))
@example({"quoted": 'a "b" \\', "small": 1e-05, "list": [0.1, -2.5e300, 2**70]})
@example({"ends with a backslash\\": "\\", "at": "12:00.5", "n": [1, True, None]})
def test_the_canonical_json_is_the_standard_librarys(content):
    expected = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    assert canonical_json(content) == expected.encode()
