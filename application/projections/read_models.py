"""The queries the API serves from the views: overviews and the decision register.

Every query first waits, bounded, until the views reflect the log as it stood
when the query arrived, so a read issued after a command's answer sees it.
"""

import base64
import binascii
from datetime import date
from typing import cast
from uuid import UUID

from application.projections.decision_register import DecisionRegisterView
from application.projections.filiere_overview import FiliereOverviewView
from application.projections.records import DecisionEntry, FiliereOverview, Page, RegisterFilter
from application.projections.updater import ViewUpdater
from application.projections.view import View
from domain.errors import InvalidValueError, NotFoundError

MAX_PAGE = 1000
DEFAULT_PAGE = 50


class ReadModels:
    def __init__(
        self, updater: ViewUpdater, catch_up: bool = True, wait_timeout: float = 5.0
    ) -> None:
        """With `catch_up`, a reader brings the views up to date itself; else it waits for them."""
        self.updater = updater
        self.catch_up = catch_up
        self.wait_timeout = wait_timeout

    @property
    def overview_view(self) -> FiliereOverviewView:
        return cast(FiliereOverviewView, self._view(FiliereOverviewView.name))

    @property
    def register_view(self) -> DecisionRegisterView:
        return cast(DecisionRegisterView, self._view(DecisionRegisterView.name))

    def _view(self, name: str) -> View:
        for view in self.updater.views:
            if view.name == name:
                return view
        raise LookupError(f"no view named {name} is configured")

    def fresh(self, position: int | None = None) -> None:
        """Wait until the views reflect the log up to `position` (default: its current end)."""
        if position is None:
            position = self.updater.app.recorder.max_notification_id() or 0
        self.updater.wait_for(position, timeout=self.wait_timeout, catch_up=self.catch_up)

    # Filières
    def filiere_overview(self, filiere_id: UUID) -> FiliereOverview:
        self.fresh()
        found = self.overview_view.overview(filiere_id)
        if found is None:
            raise NotFoundError(f"no filière with id {filiere_id}")
        return found

    def filiere_overviews(self) -> list[FiliereOverview]:
        self.fresh()
        return self.overview_view.overviews()

    # The decision register
    def decisions(
        self,
        where: RegisterFilter | None = None,
        limit: int = DEFAULT_PAGE,
        cursor: str | None = None,
    ) -> Page[DecisionEntry]:
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidValueError(f"limit: {limit} is not between 1 and {MAX_PAGE}")
        where = where or RegisterFilter()
        if where.date_from and where.date_to and where.date_from > where.date_to:
            raise InvalidValueError(f"from ({where.date_from}) comes after to ({where.date_to})")
        self.fresh()
        after = decode_cursor(cursor) if cursor else None
        items = self.register_view.entries(where, limit + 1, after)
        more = len(items) > limit
        items = items[:limit]
        next_cursor = encode_cursor(items[-1].decided_on, items[-1].position) if more else None
        return Page[DecisionEntry](items=items, next_cursor=next_cursor)


def encode_cursor(decided_on: date, position: int) -> str:
    return base64.urlsafe_b64encode(f"{decided_on.isoformat()}|{position}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[date, int]:
    try:
        decided_on, position = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return date.fromisoformat(decided_on), int(position)
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidValueError(f"cursor: {cursor[:40]!r} is not a cursor this API gave") from None
