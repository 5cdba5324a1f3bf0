"""The API tests' fixtures (the real app through httpx, a token per role, a small world)."""

from tests.api.conftest import client, recorder, tokens, world

__all__ = ["client", "recorder", "tokens", "world"]
