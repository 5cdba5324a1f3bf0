"""Commands as data: a payload and what it acts on, and the handler each command class has."""

import functools
from collections.abc import Callable
from typing import Any, ClassVar, Self, TypeVar, get_type_hints

from pydantic import ValidationError

from application.context import CommandContext, CommandResult
from application.payload import Payload
from domain.errors import InvalidValueError

App = TypeVar("App")
C = TypeVar("C", bound="Command")
Handler = Callable[[App, CommandContext, C], CommandResult]
_HANDLES = "_handles_command"


class Command(Payload):
    """One use case's input: its payload's fields, then what it acts on.

    A command class derives from the payload its caller states and, for a
    command on an existing aggregate, from a target class that adds the
    aggregate's id (an HTTP request gives it in its path) and the version the
    caller expects (If-Match).
    """

    payload_type: ClassVar[type[Payload] | None] = None
    """The payload class this command derives from (the request body over HTTP)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.payload_type = next(
            (
                base
                for base in cls.__mro__[1:]
                if issubclass(base, Payload) and not issubclass(base, Command)
            ),
            None,
        )

    @classmethod
    def of(cls, payload: Payload, **target: object) -> Self:
        """This command with `payload`'s fields, on `target` (ids by field name)."""
        return cls.model_validate({**dict(payload), **target})

    def payload_json(self) -> str:
        """The payload's fields as JSON, as the payload itself gives them."""
        fields = self.payload_type.model_fields if self.payload_type else {}
        return self.model_dump_json(include=set(fields))


def handler(method: Handler[App, C]) -> Handler[App, C]:
    """Mark `method` as the handler of the command class its `command` parameter names.

    The domain validates with pydantic too: its validation errors become the
    domain's refusal of an invalid value.
    """

    @functools.wraps(method)
    def handle(app: App, ctx: CommandContext, command: C) -> CommandResult:
        try:
            return method(app, ctx, command)
        except ValidationError as error:
            raise InvalidValueError(refusal(error)) from None

    setattr(handle, _HANDLES, get_type_hints(method)["command"])
    return handle


def handlers_of(app_class: type) -> dict[type["Command"], Handler[Any, Any]]:
    """Every handler `app_class` and its bases define, by the command class it handles."""
    return {
        getattr(member, _HANDLES): member
        for klass in reversed(app_class.__mro__)
        for member in vars(klass).values()
        if hasattr(member, _HANDLES)
    }


def refusal(error: ValidationError) -> str:
    """Each field pydantic refused, with why: `title: String should have at least 1 character`."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in error.errors()
    )
