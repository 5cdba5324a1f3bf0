"""The three detail views, read alike: a call, a project, a funding line.

Each is one row of its view today, or, given a cutoff, what the historical
views fold for it; each is listed under its parent (a filière's calls and
projects, a project's funding lines) and paged in the order things happened.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar
from uuid import UUID

from application.projections.time_travel import Cutoff, HistoricalViews
from application.projections.view_reads import DetailReads
from application.projections.views import call_details, funding_ledger, project_details


class Detail(Protocol):
    @property
    def id(self) -> UUID: ...


Row = TypeVar("Row", bound=Mapping[str, object])
D = TypeVar("D", bound=Detail)


@dataclass(frozen=True)
class DetailKind(Generic[Row, D]):
    name: str
    """How a refusal names it: "no call with id …"."""
    reads: DetailReads[Row, D]
    past: Callable[[HistoricalViews], Callable[[UUID, Cutoff], D | None]]
    """Which of the historical views' reads gives it as it was (`h.call`…)."""
    page_key: Callable[[D], str]
    """Its place in a paged list: the day it happened, then its id."""


CALL = DetailKind("call", call_details.READS, lambda h: h.call, lambda c: f"{c.opens_on}|{c.id}")
PROJECT = DetailKind(
    "project", project_details.READS, lambda h: h.project, lambda p: f"{p.proposed_on}|{p.id}"
)
FUNDING = DetailKind(
    "funding", funding_ledger.READS, lambda h: h.funding, lambda f: f"{f.granted_on}|{f.id}"
)
