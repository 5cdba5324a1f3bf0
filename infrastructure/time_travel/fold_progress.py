"""How far a fold of events into a scratch view has gone: what a snapshot taken now records."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from infrastructure.time_travel.historical_events import EventKey, HistoricalEvent
from infrastructure.time_travel.scratch_views import ScratchView
from infrastructure.time_travel.view_snapshots import ViewSnapshot

_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class FoldProgress:
    """What a fold has gone through: the day, the count, the last event that changed arm 0."""

    whole_upto: int
    day: date | None = None
    events: int = 0
    saved: int = 0
    """`events` when the latest snapshot was taken (or that of the one the fold started from)."""
    max_recorded_at: datetime = _EARLIEST
    last_changed: int = 0

    @classmethod
    def after(cls, base: ViewSnapshot | None, whole_upto: int) -> "FoldProgress":
        if base is None:
            return cls(whole_upto)
        return cls(
            whole_upto,
            base.day,
            base.events,
            base.events,
            base.max_recorded_at,
            base.last_changed,
        )

    def due(self, every: int) -> bool:
        return self.events // every > self.saved // every

    def ends_day(self, following: EventKey) -> bool:
        """Whether `following` is the first event past the day folded so far."""
        return following.late or self.day is None or following.visible_on > self.day

    def add(self, event: HistoricalEvent) -> None:
        key = event.key
        self.day = key.visible_on if self.day is None else max(self.day, key.visible_on)
        self.events += 1
        self.max_recorded_at = max(self.max_recorded_at, event.recorded_at)
        if key.arm == 0:
            self.last_changed = max(self.last_changed, key.position)

    def snapshot(self, scratch: ScratchView) -> ViewSnapshot:
        assert self.day is not None
        self.saved = self.events
        return ViewSnapshot(
            day=self.day,
            position=self.whole_upto,
            max_recorded_at=self.max_recorded_at,
            events=self.events,
            last_changed=self.last_changed,
            content=scratch.snapshot(),
        )
