"""One database transaction around a command: its events and what is stored beside them."""

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore

from application.base import FilieresApplicationBase


class CommandTransaction:
    """Opens the datastore transaction the recorders join, so one commit covers everything.

    The application's listeners (the views catching up) hear of the command only
    after the commit, when its events are visible.
    """

    def __init__(self, app: FilieresApplicationBase, datastore: SQLAlchemyDatastore) -> None:
        self.app = app
        self.datastore = datastore

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.app.holding_listeners(), self.datastore.transaction(commit=True):
            yield
