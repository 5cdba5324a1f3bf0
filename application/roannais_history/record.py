"""The entry point: record the whole Roannais history, chapter by chapter, in order.

Each chapter is a mixin over the shared `HistoryRecorder`; `_History` combines them, and
`record_roannais_history` calls the chapters in the order the events must be recorded
(later chapters use the organisations, bodies and filières the earlier ones registered).
"""

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.roannais_history.bois import BoisChapter
from application.roannais_history.deconstruction import DeconstructionChapter
from application.roannais_history.ecologie_marketing import (
    EcologieIndustrielleChapter,
    MarketingTerritorialChapter,
)
from application.roannais_history.governance import GovernanceChapter
from application.roannais_history.numerique import NumeriqueChapter
from application.roannais_history.recorder import RoannaisIds
from application.roannais_history.viandes import ViandesChapter
from domain.errors import AlreadyRecordedError


def record_roannais_history(app: FilieresApplication, actor: str = "filieres demo") -> RoannaisIds:
    """Record the history the seed tells into an empty store; refuse a non-empty one."""
    count = app.event_count()
    if count > 0:
        raise AlreadyRecordedError(
            f"the store is not empty: it already holds {count} events; the Roannais history"
            " is recorded only into an empty store"
        )
    history = _History(app, CommandContext(actor=actor))
    history.governance()
    history.launch_filieres()
    history.seat_coordinator()
    history.deconstruction()
    history.viandes()
    history.numerique()
    history.bois()
    history.ecologie_industrielle()
    history.marketing_territorial()
    history.governance_at_the_sheets_date()
    return history.ids()


class _History(
    GovernanceChapter,
    DeconstructionChapter,
    ViandesChapter,
    NumeriqueChapter,
    BoisChapter,
    EcologieIndustrielleChapter,
    MarketingTerritorialChapter,
):
    """Records the history part by part, keeping the ids by short key."""
