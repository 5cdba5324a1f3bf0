"""Commands as data: a payload and what it acts on, and the handler each command class has."""

import functools
import json
from collections.abc import Callable
from typing import Any, ClassVar, Self, TypeVar, get_type_hints

from pydantic import BaseModel, ValidationError, create_model

from application.context import CommandContext, CommandResult
from application.payload import CITED_FIELDS, Cited, Payload
from domain.errors import InvalidValueError, InvariantViolationError

App = TypeVar("App")
C = TypeVar("C", bound="Command")
Handler = Callable[[App, CommandContext, C], CommandResult]
_HANDLES = "_handles_command"


class Command(Cited):
    """One use case's input: its payload's fields, then what it acts on.

    A command class derives from the payload its caller states and, for a
    command on an existing aggregate, from a target class that adds the
    aggregate's id (an HTTP request gives it in its path) and the version the
    caller expects (If-Match). Every command also takes, from `Cited`, the
    source of what it records and the recorder's assumptions.
    """

    payload_type: ClassVar[type[Payload] | None] = None
    """The payload it derives from, with `Cited`'s fields: the request body over HTTP."""

    refusals: ClassVar[tuple[type[InvariantViolationError], ...]] = ()
    """The rules of the programme this command's own act can break. Those every command of
    its kind can break (a stale version, a decision governance refuses) are added by
    `application.command_rules.refusals_of`, which the API documents."""

    deciders: ClassVar[str | None] = None
    """Which bodies may take the decision this command records; None if it records none."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        stated = next(
            (
                base
                for base in cls.__mro__[1:]
                if issubclass(base, Payload)
                and not issubclass(base, Command)
                and not issubclass(Cited, base)
            ),
            None,
        )
        cls.payload_type = None if stated is None else _cited(stated)

    @classmethod
    def of(cls, payload: Payload, **target: object) -> Self:
        """This command with `payload`'s fields, on `target` (ids by field name)."""
        return cls.model_validate({**dict(payload), **target})

    def cited_in(self, ctx: CommandContext) -> CommandContext:
        """`ctx` carrying this command's source and assumptions to the events it records."""
        source = None if self.source is None else self.source.to_domain()
        return ctx.citing(source, tuple(self.assumptions))

    def payload_json(self) -> str:
        """The payload's fields as JSON, as the payload itself gives them.

        A field added after idempotency keys were first stored (the source and
        assumptions, identifiers, sittings...) only when it differs from its
        default: a request that does not use it keeps the fingerprint an
        earlier release stored for it.
        """
        stated = set(self.payload_type.model_fields) if self.payload_type else set()
        fields = [name for name in type(self).model_fields if name in stated]
        return json.dumps(_as_first_stored(self, fields), separators=(",", ":"), ensure_ascii=False)


ADDED_SINCE_KEYS_WERE_FIRST_STORED = CITED_FIELDS | {
    "siret",
    "rna",
    "beneficiary_id",
    "nature",
    "quorum",
    "composition",
    "ends_on",
    "sitting_id",
    "sitting_not_published",
    "recused",
    "deliberation_number",
    "present_or_represented",
}


def _as_first_stored(model: BaseModel, fields: list[str]) -> dict[str, Any]:
    """`fields` of `model` as JSON values, less those added since at their default."""
    dumped = model.model_dump(mode="json", include=set(fields))
    shown: dict[str, Any] = {}
    for name in fields:
        value = getattr(model, name)
        info = type(model).model_fields[name]
        if name in ADDED_SINCE_KEYS_WERE_FIRST_STORED and value == info.get_default(
            call_default_factory=True
        ):
            continue
        if isinstance(value, BaseModel):
            shown[name] = _as_first_stored(value, list(type(value).model_fields))
        else:
            shown[name] = dumped[name]
    return shown


_CITED_PAYLOADS: dict[type[Payload], type[Payload]] = {}


def _cited(stated: type[Payload]) -> type[Payload]:
    """`stated` with the source and assumptions every command takes: one class per payload."""
    if issubclass(stated, Cited):
        return stated
    if stated not in _CITED_PAYLOADS:
        # Cited's fields after the payload's own, as a reader of the request schema expects.
        cited: dict[str, Any] = {
            name: (field.annotation, field) for name, field in Cited.model_fields.items()
        }
        _CITED_PAYLOADS[stated] = create_model(
            stated.__name__,
            __base__=stated,
            __module__=stated.__module__,
            __doc__=stated.__doc__,
            **cited,
        )
    return _CITED_PAYLOADS[stated]


def handler(method: Handler[App, C]) -> Handler[App, C]:
    """Mark `method` as the handler of the command class its `command` parameter names.

    The domain validates with pydantic too: its validation errors become the
    domain's refusal of an invalid value. The command's source and assumptions
    go into `ctx`, so every event the handler records carries them.
    """

    @functools.wraps(method)
    def handle(app: App, ctx: CommandContext, command: C) -> CommandResult:
        try:
            return method(app, command.cited_in(ctx), command)
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
