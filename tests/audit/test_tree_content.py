"""What a leaf commits to: names of people salted, so that erasing one keeps every proof.

The erasure itself is a later step; these tests show the leaf allows it: a
name replaced by anything, its salt forgotten and its commitment kept, gives
the same tree content hash, hence the same leaf, root and proofs.
"""

import copy
import importlib.util
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from application.audit.tree_content import (
    COMMITMENT_KEY,
    commitment,
    personal_pointers,
    salt_personal_values,
    tree_content_hash,
)

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_offline.py"


def decision_event(**data: Any) -> dict[str, Any]:
    """The content fields of a decision, as the export's line holds them."""
    return {
        "aggregate_id": "3f0c9a6e-0000-4000-8000-000000000001",
        "version": 7,
        "topic": "domain.call:Call.CandidacySelected",
        "effective_on": "2012-01-20",
        "recorded_at": "2026-12-01T10:00:00+00:00",
        "metadata": {"recorded_by": "Jeanne Saisie", "correlation_id": "c0ffee"},
        "data": {
            "decision": {
                "decided_by": ["Georges Bernat", "Président B"],
                "recused": ["Élue Z"],
                "rationale": "projet retenu",
                "vote": {"for": 2, "against": 0, "abstain": 0},
            },
            "attendance": [
                {"person": "Georges Bernat", "status": "present"},
                {"person": "Élue Z", "status": "represented", "represented_by": "Président B"},
            ],
            **data,
        },
    }


def tool() -> Any:
    spec = importlib.util.spec_from_file_location("verify_offline", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_names_of_people_are_found_wherever_they_are():
    event = decision_event(person="Mallory", reviewer="Experte", score=3, reviewed_by=None)

    assert personal_pointers(event) == [
        "/metadata/recorded_by",
        "/data/decision/decided_by/0",
        "/data/decision/decided_by/1",
        "/data/decision/recused/0",
        "/data/attendance/0/person",
        "/data/attendance/1/person",
        "/data/attendance/1/represented_by",
        "/data/person",
        "/data/reviewer",
    ]
    organisation = {
        "topic": "domain.organisation:Organisation.Registered",
        "metadata": {},
        "data": {"name": "Jean Dupont, entrepreneur", "kind": "company"},
    }
    assert personal_pointers(organisation) == ["/data/name"]


def test_the_tree_content_hash_is_re_derived_from_the_salts_here_and_by_the_offline_tool():
    event = decision_event()
    salts, derived = salt_personal_values(copy.deepcopy(event))

    assert len(salts) == 7 and all(len(salt) == 32 for salt in salts.values())
    assert tree_content_hash(copy.deepcopy(event), salts) == derived
    assert tool().tree_content_hash(copy.deepcopy(event), salts) == derived
    # Fresh salts each time: two equal events have unlinkable leaves.
    assert salt_personal_values(copy.deepcopy(event))[1] != derived

    renamed = copy.deepcopy(event)
    renamed["data"]["decision"]["decided_by"][0] = "Georges Bernard"
    assert tree_content_hash(renamed, salts) != derived


@given(st.data())
def test_erasing_any_name_and_its_salt_leaves_the_leaf_unchanged(data):
    event = decision_event()
    salts, derived = salt_personal_values(copy.deepcopy(event))
    erased_pointers = data.draw(st.sets(st.sampled_from(sorted(salts)), min_size=1))

    erased_event = copy.deepcopy(event)
    kept_salts = dict(salts)
    erased: dict[str, str] = {}
    for pointer in erased_pointers:
        holder, key = _holder(erased_event, pointer)
        erased[pointer] = commitment(bytes.fromhex(kept_salts.pop(pointer)), holder[key])
        holder[key] = None  # the name is gone from the stored event

    assert tree_content_hash(copy.deepcopy(erased_event), kept_salts, erased) == derived
    assert tool().tree_content_hash(copy.deepcopy(erased_event), kept_salts, erased) == derived
    assert all(COMMITMENT_KEY not in str(value) for value in erased_event["data"].values())


def _holder(document: Any, pointer: str) -> tuple[Any, Any]:
    *path, last = pointer.split("/")[1:]
    for token in path:
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document, int(last) if isinstance(document, list) else last
