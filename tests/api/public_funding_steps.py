"""Steps shared by the public-funding API tests: organisations, a project, grants, agreements."""

from typing import Any

from fastapi.testclient import TestClient

from tests.world import PRESIDENTS, World

COMPANY_SIRET = "73282932000074"
ASSOCIATION_RNA = "W423001234"
FUNDER_SIRET = "21060004500392"


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def decision(world: World, decided_on: str) -> dict[str, Any]:
    return {
        "body_id": str(world.bureau),
        "decided_on": decided_on,
        "decided_by": list(PRESIDENTS),
        "sitting_not_published": True,
        "rationale": "décidé en bureau",
    }


def organisation(client: TestClient, headers: dict[str, str], name: str, **fields: str) -> str:
    body = {"name": name, "kind": "company", **fields}
    return str(ok(client.post("/organisations", json=body, headers=headers), 201)["id"])


def project(client: TestClient, headers: dict[str, str], world: World, budget: str) -> str:
    body = {
        "filiere_id": str(world.filiere),
        "title": "Scierie mobile",
        "proposed_on": "2011-10-01",
        "estimated_budget": budget,
    }
    return str(ok(client.post("/projects", json=body, headers=headers), 201)["id"])


def grant_body(
    world: World,
    project_id: str,
    beneficiary: str | None,
    amount: str | None,
    on: str = "2012-01-10",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "funder_id": str(world.association),
        "beneficiary_id": beneficiary,
        "kind": "grant",
        "amount": amount,
        "decision": decision(world, on),
        **extra,
    }


def agreement(signed_on: str, regime: str = "none", **extra: Any) -> dict[str, Any]:
    return {
        "signed_on": signed_on,
        "reference": f"CONV {signed_on}",
        "purpose": "Scierie mobile pour les forêts du Roannais",
        "payment_terms": "instalments",
        "payment_period": {"from": signed_on, "to": f"{int(signed_on[:4]) + 1}{signed_on[4:]}"},
        "eu_notified": False,
        "state_aid_regime": regime,
        **extra,
    }
