"""The API tests' fixtures: the real app through httpx, a token per role (the world is the root
conftest's)."""

from tests.api.conftest import client, recorder, tokens

__all__ = ["client", "recorder", "tokens"]
