"""A command's body is JSON, said so: any other body is refused with 415, not a 422.

A body sent without a Content-Type, or with one that is not `application/json`
(or `application/<x>+json`), FastAPI hands as raw bytes to validation, which
answers a 422 about a "dictionary": a client who sent a form, text, or forgot
the header would learn nothing from it.
"""

import email.message

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

JSON = "application/json"


def is_json(content_type: str) -> bool:
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


async def require_json_body(request: Request) -> None:
    content_type = request.headers.get("content-type")
    if content_type is None:
        if await request.body():  # already read by FastAPI: no second read
            raise HTTPException(
                415,
                f"the body must be JSON, sent with Content-Type: {JSON}"
                " (this request gave no Content-Type)",
                headers={"Accept-Post": JSON},
            )
    elif not is_json(content_type):
        raise HTTPException(
            415,
            f"the body must be JSON, sent with Content-Type: {JSON}"
            f" (this request said {content_type[:80]!r})",
            headers={"Accept-Post": JSON},
        )


JSON_BODY = Depends(require_json_body)
