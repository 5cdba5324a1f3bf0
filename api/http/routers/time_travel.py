"""Answers about the past carry no ETag."""

from fastapi import Response

from application.projections.time_travel import Cutoff


def tag_current_version(response: Response, when: Cutoff, tag: str) -> None:
    """An ETag only on today's state: a past version must not serve as If-Match."""
    if when.is_now:
        response.headers["ETag"] = tag
