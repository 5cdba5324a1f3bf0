"""The CLI's other source: a Filières server asked over HTTP with a token, not the store.

An auditor may hold only a token: with `--api URL --token T` (or
FILIERES_API_URL and FILIERES_TOKEN) the audit and report commands ask the
server and print exactly what they print from the store.
"""

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import httpx
import typer

from api.http.routers.health import Health
from application.projections.records import (
    DecisionEntry,
    FiliereOverview,
    NamedRef,
    Page,
    RegisterFilter,
)
from application.projections.time_travel import Cutoff
from application.reports.interests import BodyInterestsReport, in_report_order
from application.reports.seats import BodySeats
from domain.errors import NotFoundError

ApiUrl = Annotated[
    str | None,
    typer.Option(
        "--api",
        envvar="FILIERES_API_URL",
        help="Ask this Filières server (e.g. http://127.0.0.1:8000) instead of the store.",
    ),
]
StoreOnlyApiUrl = Annotated[
    str | None,
    typer.Option(
        "--api",
        envvar="FILIERES_API_URL",
        help="Not for this command, which reads the store itself: given (or set in the"
        " environment), it stops with exit 2 rather than read a local store.",
    ),
]
ApiToken = Annotated[
    str | None,
    typer.Option("--token", envvar="FILIERES_TOKEN", help="Bearer token for --api."),
]
PAGE = 1000


class RemoteRefusal(Exception):
    """The server refused (401, 403, 422 ...): its problem's detail, as the store would say it."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status


class RemoteFilieres:
    """The read side of the API, answering the same read models as the store does."""

    def __init__(self, base_url: str, token: str | None) -> None:
        if not token:
            raise typer.BadParameter("--api needs --token (or FILIERES_TOKEN)")
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=60.0,
        )

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        answer = self.client.get(path, params=_without_none(params or {}))
        _raise_for_problem(answer)
        return answer.json()

    def text(self, path: str) -> str:
        """A plain-text answer (a checkpoint, a key) as the server sent it."""
        answer = self.client.get(path)
        _raise_for_problem(answer)
        return answer.text

    def filiere_overviews(self) -> list[FiliereOverview]:
        return [FiliereOverview.model_validate(item) for item in self._walk("/filieres", {})]

    def filiere_overview(self, filiere_id: UUID, cutoff: Cutoff | None = None) -> FiliereOverview:
        cutoff = cutoff or Cutoff()
        found = self.get(
            f"/filieres/{filiere_id}",
            {"as_of": cutoff.as_of, "known_at": cutoff.known_at},
        )
        return FiliereOverview.model_validate(found)

    def decisions(
        self, where: RegisterFilter, limit: int = PAGE, cursor: str | None = None
    ) -> Page[DecisionEntry]:
        params = {
            "filiere_id": where.filiere_id,
            "body_id": where.body_id,
            "person": where.person,
            "from": where.date_from,
            "to": where.date_to,
            "as_of": where.as_of,
            "known_at": where.known_at,
            "assumed": None if where.assumed is None else str(where.assumed).lower(),
            "verified": None if where.verified is None else str(where.verified).lower(),
            "limit": limit,
            "cursor": cursor,
        }
        return Page[DecisionEntry].model_validate(self.get("/decisions", params))

    def health(self) -> Health:
        return Health.model_validate(self.get("/health"))

    def seats(self, body_id: UUID | None, on: date | None) -> list[BodySeats]:
        """The report as the application gives it, so both sources print alike."""
        answer = self.get("/reports/seats", {"body_id": body_id, "on": on})
        return [BodySeats.model_validate(_report_names(body)) for body in answer]

    def interests(self, body_id: UUID | None) -> list[BodyInterestsReport]:
        """Each body's interests (`GET /bodies/{id}/interests`), in the store's report's order."""
        ids = [body_id] if body_id is not None else [b["id"] for b in self._walk("/bodies", {})]
        return in_report_order(
            [
                BodyInterestsReport.model_validate(self.get(f"/bodies/{each}/interests"))
                for each in ids
            ]
        )

    def active_partners(self) -> list[NamedRef] | None:
        """Every partner not archived; None when the server lists no organisations."""
        try:
            listed = list(self._walk("/organisations", {"kind": "partner"}))
        except RemoteRefusal as refusal:
            if refusal.status in (404, 405):
                return None
            raise
        return [
            NamedRef(id=item["id"], name=item["name"])
            for item in listed
            if item.get("kind") == "partner" and item.get("archived_on") is None
        ]

    def lines(self, path: str) -> Iterator[str]:
        """A streamed text answer, line by line (the JSON Lines export)."""
        with self.client.stream("GET", path) as answer:
            if answer.status_code >= 400:
                answer.read()
                _raise_for_problem(answer)
            yield from answer.iter_lines()

    def _walk(self, path: str, params: dict[str, Any]) -> Iterator[Any]:
        cursor = None
        while True:
            page = self.get(path, {**params, "limit": PAGE, "cursor": cursor})
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return


def _report_names(body: dict[str, Any]) -> dict[str, Any]:
    """A body of `GET /reports/seats` under the report's names (`BodySeatsPublic.of` reversed)."""
    seats = [
        {
            **seat,
            "organisation_id": seat["organisation"]["id"],
            "organisation_name": seat["organisation"]["name"],
            "from_date": seat["from"],
        }
        for seat in body["seats"]
    ]
    return {**body, "body_id": body["id"], "seats": seats}


def _without_none(params: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in params.items() if value is not None}


def _raise_for_problem(answer: httpx.Response) -> None:
    if answer.status_code < 400:
        return
    try:
        detail = answer.json().get("detail", answer.text)
    except ValueError:
        detail = answer.text
    if answer.status_code == 404:
        raise NotFoundError(detail)
    raise RemoteRefusal(answer.status_code, detail)
