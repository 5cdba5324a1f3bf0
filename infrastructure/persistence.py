"""The library's environment for the SQLAlchemy event store (SQLite or PostgreSQL)."""

from infrastructure.settings import normalise_database_url


def event_store_env(database_url: str) -> dict[str, str]:
    """Environment for an eventsourcing Application storing through SQLAlchemy."""
    return {
        "PERSISTENCE_MODULE": "infrastructure.integrity_chain:ChainedSQLAlchemyFactory",
        "SQLALCHEMY_URL": normalise_database_url(database_url),
        "MAPPER_TOPIC": "infrastructure.transcoding:PydanticMapper",
        "TRANSCODER_TOPIC": "infrastructure.transcoding:OrjsonTranscoder",
    }
