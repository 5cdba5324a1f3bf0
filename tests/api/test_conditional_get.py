"""Every GET answers an ETag; If-None-Match with the current one is a 304 without a body."""

import pytest

from api.http import conditional_get
from tests.api.http import assert_problem
from tests.world import World

CSV = {"Accept": "text/csv"}


def reads(world: World, call: object) -> list[str]:
    return [
        "/filieres",
        f"/filieres/{world.filiere}",
        "/organisations",
        f"/organisations/{world.company}",
        "/bodies",
        f"/bodies/{world.bureau}",
        f"/calls/{call}",
        f"/calls?filiere_id={world.filiere}",
        "/decisions",
    ]


def test_every_read_carries_an_etag_and_a_304_when_it_still_holds(
    client, reader, world, call
) -> None:
    for path in reads(world, call):
        first = client.get(path, headers=reader)
        assert first.status_code == 200, f"{path}: {first.text}"
        tag = first.headers["ETag"]
        assert tag.startswith('"') and tag.endswith('"'), f"{path}: {tag}"

        again = client.get(path, headers={**reader, "If-None-Match": tag})

        assert again.status_code == 304, f"{path}: {again.status_code}"
        assert again.content == b""
        assert again.headers["ETag"] == tag
        # The same read twice gives the same tag: it stands for what is read.
        assert client.get(path, headers=reader).headers["ETag"] == tag


def test_the_csv_register_has_its_own_etag(client, reader, world) -> None:
    as_json = client.get("/decisions", headers=reader)
    as_csv = client.get("/decisions", headers={**reader, **CSV})
    assert as_csv.status_code == 200 and as_csv.text.startswith("position")
    tag = as_csv.headers["ETag"]
    assert tag != as_json.headers["ETag"]

    again = client.get("/decisions", headers={**reader, **CSV, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""


def test_a_change_moves_the_etag_and_the_old_one_gets_the_whole_answer(
    client, reader, recorder, world, call
) -> None:
    overview = f"/filieres/{world.filiere}"
    before = {path: client.get(path, headers=reader) for path in ("/organisations", overview)}

    # A new candidacy changes the overview's counts without moving the filière's version.
    submitted = client.post(
        f"/calls/{call}/candidacies",
        json={
            "candidate_id": str(world.company),
            "project_title": "Abattoir mobile",
            "submitted_on": "2011-03-15",
        },
        headers=recorder,
    )
    assert submitted.status_code == 201, submitted.text
    renamed = client.post(
        f"/organisations/{world.company}/rename",
        json={"name": "Abattoir du Roannais", "effective_on": "2011-01-01"},
        headers=recorder,
    )
    assert renamed.status_code == 200, renamed.text

    for path, old in before.items():
        now = client.get(path, headers={**reader, "If-None-Match": old.headers["ETag"]})
        assert now.status_code == 200, path
        assert now.headers["ETag"] != old.headers["ETag"]
        assert now.json() != old.json()
    assert client.get(overview, headers=reader).json()["candidacies"]["submitted"] == 1


def test_the_overview_tag_still_serves_as_if_match(client, reader, recorder, world) -> None:
    overview = f"/filieres/{world.filiere}"
    tag = client.get(overview, headers=reader).headers["ETag"]
    assert tag.startswith('"1-')  # the filière's version, then a hash of the overview

    answer = client.post(
        f"{overview}/project-group",
        json={"organisation_id": str(world.company), "joined_on": "2010-01-01"},
        headers={**recorder, "If-Match": tag},
    )
    assert answer.status_code == 200, answer.text

    stale = client.post(
        f"{overview}/project-group/leave",
        json={"organisation_id": str(world.company), "left_on": "2011-01-01"},
        headers={**recorder, "If-Match": tag},
    )
    assert_problem(stale, 409, "version")


@pytest.mark.parametrize("value", ["*", "W/{tag}", '"other", {tag}'], ids=["star", "weak", "list"])
def test_if_none_match_takes_a_list_a_weak_tag_and_a_star(client, reader, world, value) -> None:
    tag = client.get("/organisations", headers=reader).headers["ETag"]
    answer = client.get(
        "/organisations", headers={**reader, "If-None-Match": value.format(tag=tag)}
    )
    assert answer.status_code == 304


def test_an_other_tag_or_a_refusal_is_answered_in_full(client, reader, world) -> None:
    answer = client.get("/organisations", headers={**reader, "If-None-Match": '"nope"'})
    assert answer.status_code == 200 and answer.json()["items"]
    # A refusal is not a representation: no ETag, never a 304.
    missing = client.get(
        "/organisations/00000000-0000-0000-0000-000000000001",
        headers={**reader, "If-None-Match": "*"},
    )
    assert_problem(missing, 404)
    assert "ETag" not in missing.headers


def test_an_answer_too_large_to_hold_is_streamed_whole_without_a_computed_etag(
    client, reader, world, call, monkeypatch
) -> None:
    whole = client.get("/decisions", headers={**reader, **CSV})
    assert len(whole.content) > 200 and whole.headers["ETag"]
    monkeypatch.setattr(conditional_get, "MAX_TAGGED_BYTES", 100)

    streamed = client.get("/decisions", headers={**reader, **CSV, "If-None-Match": "*"})

    assert streamed.status_code == 200
    assert streamed.content == whole.content
    assert "ETag" not in streamed.headers
