"""The queries the API serves from the views: overviews and the decision register.

Every query first waits, bounded, until the views reflect the log as it stood
when the query arrived, so a read issued after a command's answer sees it.
"""

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from application.projections.detail_kinds import CALL, FUNDING, PROJECT, D, DetailKind, Row
from application.projections.detail_records import CallDetails, FundingLedger, ProjectDetails
from application.projections.paging import (
    DEFAULT_PAGE,
    check_limit,
    decode_cursor,
    encode_cursor,
    paged,
)
from application.projections.records import DecisionEntry, FiliereOverview, Page, RegisterFilter
from application.projections.rows import Reader
from application.projections.time_travel import Cutoff, HistoricalViews
from application.projections.updater import LogPositions, ViewUpdater
from application.projections.view import View
from application.projections.views import (
    decision_register,
    decision_register_reads,
    directory,
    filiere_overview,
    filiere_overview_reads,
    funding_ledger,
)
from domain.errors import InvalidValueError, NotFoundError
from domain.governing_body import BodyKind
from domain.organisation import OrganisationKind

R = TypeVar("R")
CACHED_OVERVIEWS = 1024


class ReadModels:
    def __init__(
        self,
        updater: ViewUpdater,
        catch_up: bool = True,
        wait_timeout: float = 5.0,
        history: HistoricalViews | None = None,
        current_version: Callable[[UUID], int | None] | None = None,
    ) -> None:
        """With `catch_up`, a reader brings the views up to date itself; else it waits for them.

        `history` answers the reads given a cutoff (as of a day, as known at an instant);
        `current_version` gives an aggregate's version for ETags (None without it).
        """
        self._current_version = current_version or (lambda _: None)
        self.updater = updater
        self.catch_up = catch_up
        self.wait_timeout = wait_timeout
        self.history = history
        # Today's overviews by filière, with the filière's version, each under what it was read
        # at: the views' build, the overview view's position and the log's end. A GET reads
        # these in its freshness check anyway; while none moved, neither did the answer.
        self._overviews: dict[UUID, tuple[tuple[object, int, int], FiliereOverview, int | None]]
        self._overviews = {}

    def _read(self, view: View, read: Callable[[Reader], R]) -> R:
        """What `read` finds in today's `view`."""
        for store in self.updater.views:
            if store.definition is view:
                with store.reading() as reader:
                    return read(reader)
        raise LookupError(f"no view named {view.name} is configured")

    def fresh(self, position: int | None = None) -> LogPositions | None:
        """Wait until the views reflect the log up to `position` (default: its current end).

        Returns the positions then read, or None when the views had to be waited for."""
        return self.updater.wait_for(position, timeout=self.wait_timeout, catch_up=self.catch_up)

    def _overview_key(self, read: LogPositions | None) -> tuple[object, int, int] | None:
        """What today's overviews depend on; None when it cannot be told (no cache)."""
        if read is None or read.builds is None:
            return None
        names = [view.name for view in self.updater.views]
        return read.builds, read.views[names.index(filiere_overview.VIEW.name)], read.last

    def current_filiere(self, filiere_id: UUID) -> tuple[FiliereOverview, int | None]:
        """Today's overview and the filière's version (its ETag); 404 when unknown."""
        key = self._overview_key(self.fresh())
        cached = self._overviews.get(filiere_id)
        if key is not None and cached is not None and cached[0] == key:
            return cached[1], cached[2]
        overview = _found(
            self._read(
                filiere_overview.VIEW, lambda db: filiere_overview_reads.overview(db, filiere_id)
            ),
            _missing("filière", filiere_id, None),
        )
        version = self._current_version(filiere_id)
        # Kept only if nothing moved while it was read (no batch, no command, no rebuild).
        if key is not None and key == self._overview_key(self.updater.positions()):
            if len(self._overviews) >= CACHED_OVERVIEWS:
                self._overviews.clear()
            self._overviews[filiere_id] = (key, overview, version)
        return overview, version

    def _historical(self, cutoff: Cutoff | None) -> HistoricalViews | None:
        """The historical views when `cutoff` asks for the past, after the index caught up."""
        self.fresh()
        if cutoff is None or cutoff.is_now:
            return None
        if self.history is None:
            raise LookupError("no historical views are configured")
        return self.history

    # Filières
    def filiere_overview(self, filiere_id: UUID, cutoff: Cutoff | None = None) -> FiliereOverview:
        if cutoff is None or cutoff.is_now:
            return self.current_filiere(filiere_id)[0]
        history = self._historical(cutoff)
        found = history.overview(filiere_id, cutoff) if history else None
        return _found(found, _missing("filière", filiere_id, cutoff))

    def filiere_overviews(self, cutoff: Cutoff | None = None) -> list[FiliereOverview]:
        history = self._historical(cutoff)
        today = self._read(filiere_overview.VIEW, filiere_overview_reads.overviews)
        return _then(today, lambda f: history.overview(f.id, cutoff) if history and cutoff else f)

    # Calls, projects, fundings
    def call(self, call_id: UUID, cutoff: Cutoff | None = None) -> CallDetails:
        return self._detail(CALL, call_id, cutoff)

    def calls_of_filiere(self, filiere_id: UUID, cutoff: Cutoff | None = None) -> list[CallDetails]:
        self.filiere_overview(filiere_id, cutoff)  # 404 for an unknown filière, not an empty list
        return self._details_of(CALL, filiere_id, cutoff)

    def project(self, project_id: UUID, cutoff: Cutoff | None = None) -> ProjectDetails:
        return self._detail(PROJECT, project_id, cutoff)

    def projects_of_filiere(
        self, filiere_id: UUID, cutoff: Cutoff | None = None
    ) -> list[ProjectDetails]:
        self.filiere_overview(filiere_id, cutoff)
        return self._details_of(PROJECT, filiere_id, cutoff)

    def funding(self, funding_id: UUID, cutoff: Cutoff | None = None) -> FundingLedger:
        return self._detail(FUNDING, funding_id, cutoff)

    def fundings_of_project(
        self, project_id: UUID, cutoff: Cutoff | None = None
    ) -> list[FundingLedger]:
        self.project(project_id, cutoff)
        return self._details_of(FUNDING, project_id, cutoff)

    def _detail(self, kind: DetailKind[Row, D], key: UUID, cutoff: Cutoff | None) -> D:
        """Today's detail from its view, or, given a cutoff, as it was then."""
        history = self._historical(cutoff)
        found = (
            kind.past(history)(key, cutoff)
            if history and cutoff
            else self._read(kind.reads.view, lambda db: kind.reads.one(db, key))
        )
        return _found(found, _missing(kind.name, key, cutoff))

    def _details_of(self, kind: DetailKind[Row, D], parent: UUID, cutoff: Cutoff | None) -> list[D]:
        """A parent's details, today or, given a cutoff, as they were then."""
        history = self._historical(cutoff)
        today = self._read(kind.reads.view, lambda db: kind.reads.of_parent(db, parent))
        return _then(today, lambda d: kind.past(history)(d.id, cutoff) if history and cutoff else d)

    def fundings_of_funder(self, funder_id: UUID) -> list[FundingLedger]:
        """Every line the funder granted, in the order granted (for its open data)."""
        return self._read(
            funding_ledger.VIEW, lambda db: funding_ledger.fundings_of_funder(db, funder_id)
        )

    # Paged lists, in the order things happened
    def filieres(
        self, limit: int = DEFAULT_PAGE, cursor: str | None = None, cutoff: Cutoff | None = None
    ) -> Page[FiliereOverview]:
        filieres = self.filiere_overviews(cutoff)
        return paged(filieres, lambda f: f"{f.launched_on}|{f.id}", limit, cursor)

    # The directory: organisations and bodies, in the order they were recorded
    def organisations(
        self,
        kind: OrganisationKind | None = None,
        name: str | None = None,
        limit: int = DEFAULT_PAGE,
        cursor: str | None = None,
    ) -> Page[directory.OrganisationEntry]:
        """Filtered by kind, and by a part of the name in any case."""
        self.fresh()
        found = self._read(directory.VIEW, lambda db: directory.organisations(db, kind))
        found = [o for o in found if _name_has(o.name, name)]
        return paged(found, lambda o: f"{o.registered_on}|{o.id}", limit, cursor)

    def bodies(
        self,
        kind: BodyKind | None = None,
        name: str | None = None,
        limit: int = DEFAULT_PAGE,
        cursor: str | None = None,
    ) -> Page[directory.BodyEntry]:
        self.fresh()
        found = self._read(directory.VIEW, lambda db: directory.bodies(db, kind))
        found = [b for b in found if _name_has(b.name, name)]
        return paged(found, lambda b: f"{b.recorded_on}|{b.id}", limit, cursor)

    # The decision register
    def decisions(
        self,
        where: RegisterFilter | None = None,
        limit: int = DEFAULT_PAGE,
        cursor: str | None = None,
    ) -> Page[DecisionEntry]:
        check_limit(limit)
        where = where or RegisterFilter()
        if where.date_from and where.date_to and where.date_from > where.date_to:
            raise InvalidValueError(f"from ({where.date_from}) comes after to ({where.date_to})")
        self.fresh()
        after = decode_cursor(cursor) if cursor else None
        items = self._read(
            decision_register.VIEW,
            lambda db: decision_register_reads.entries(db, where, limit + 1, after),
        )
        more = len(items) > limit
        items = items[:limit]
        next_cursor = encode_cursor(items[-1].decided_on, items[-1].position) if more else None
        return Page[DecisionEntry](items=items, next_cursor=next_cursor)


def _name_has(name: str, part: str | None) -> bool:
    return part is None or part.casefold() in name.casefold()


def _then(today: list[R], then: Callable[[R], R | None]) -> list[R]:
    """Today's items as they were then, without those that did not exist or were not known.

    Every entity of the past exists today (the log only grows), so today's list is complete.
    """
    found = (then(item) for item in today)
    return [item for item in found if item is not None]


def _missing(kind: str, item_id: UUID, cutoff: Cutoff | None) -> str:
    when = f" {cutoff.describe()}" if cutoff and not cutoff.is_now else ""
    return f"no {kind} with id {item_id}{when}"


def _found(item: R | None, missing: str) -> R:
    if item is None:
        raise NotFoundError(missing)
    return item
