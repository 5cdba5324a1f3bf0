"""An insider with SQL on the events, chain and tree tables, who recomputes what they can:
the chain's hashes, and the whole tree (salts included) through the recorder's own code."""

import orjson
from sqlalchemy import Connection, Table, delete, select, update

from api.bootstrap import Services
from application.audit.event_record import GENESIS_HASH, chain_hash, content_hash
from infrastructure.integrity_chain import CHAIN
from infrastructure.merkle_tree import LEAVES, NODES


class Insider:
    """Direct SQL on the events, chain and tree tables, recomputing what an insider can."""

    def __init__(self, services: Services) -> None:
        self.app = services.app
        self.engine = services.app.factory.datastore.engine  # type: ignore[attr-defined]
        self.events: Table = services.app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]

    def truncate(self) -> None:
        """Delete the last event with its chain row, its leaf and the nodes it completed."""
        with self.engine.begin() as connection:
            last = connection.execute(select(LEAVES).order_by(LEAVES.c.leaf_index.desc())).first()
            assert last is not None
            size = last.leaf_index + 1
            connection.execute(delete(self.events).where(self.events.c.id == last.position))
            connection.execute(delete(CHAIN).where(CHAIN.c.position == last.position))
            connection.execute(delete(LEAVES).where(LEAVES.c.position == last.position))
            for level in range(1, size.bit_length() + 1):
                if size % (1 << level) == 0:
                    connection.execute(
                        delete(NODES).where(
                            NODES.c.level == level, NODES.c.node_index == (size >> level) - 1
                        )
                    )

    def rewrite(self, position: int) -> None:
        """Change one event, then recompute the whole chain and tree after it."""
        with self.engine.begin() as connection:
            row = connection.execute(select(self.events).where(self.events.c.id == position)).one()
            state = orjson.loads(row.state)
            key = next(k for k, v in state.items() if isinstance(v, str) and k != "timestamp")
            state[key] = f"{state[key]} (rewritten)"
            connection.execute(
                update(self.events)
                .where(self.events.c.id == position)
                .values(state=orjson.dumps(state))
            )
            self._recompute_chain(connection)
            connection.execute(delete(NODES))
            connection.execute(delete(LEAVES))
        self.app.recorder.catch_up_tree()  # type: ignore[attr-defined]

    def alter(self, position: int) -> None:
        """Change one event and nothing else."""
        with self.engine.begin() as connection:
            row = connection.execute(select(self.events).where(self.events.c.id == position)).one()
            state = orjson.loads(row.state)
            state["effective_on"] = "1999-12-31"
            connection.execute(
                update(self.events)
                .where(self.events.c.id == position)
                .values(state=orjson.dumps(state))
            )

    def _recompute_chain(self, connection: Connection) -> None:
        previous = GENESIS_HASH
        rows = connection.execute(select(self.events).order_by(self.events.c.id)).all()
        for row in rows:
            content = content_hash(row.originator_id, row.originator_version, row.topic, row.state)
            previous = chain_hash(previous, content)
            connection.execute(
                update(CHAIN)
                .where(CHAIN.c.position == row.id)
                .values(content_hash=content, chain_hash=previous)
            )
