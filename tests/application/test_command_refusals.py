"""Each command's declared refusals cover every rule its handler can reach in the code.

The API documents a command's 409 codes from `refusals_of` (its class's
`refusals`, plus those of its kind). This test reads the source instead: from
each handler, it follows the calls into the application and the domain and
gathers every rule (an `InvariantViolationError`) raised on the way. A rule
reachable but not declared fails here, so the documented codes cannot fall
behind the code. The call graph is resolved by name, which can only find
more than the truth, never less.
"""

import ast
import inspect
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import application
import domain
from application.command_rules import refusals_of
from application.filieres_app import FilieresApplication
from domain import errors

RULES = {
    name
    for name, klass in vars(errors).items()
    if isinstance(klass, type) and issubclass(klass, errors.InvariantViolationError)
}
ROOT = Path(inspect.getfile(domain)).parent.parent


class Function:
    def __init__(self, node: ast.FunctionDef) -> None:
        self.raises: set[str] = set()
        self.calls: set[tuple[str | None, str]] = set()
        """(the class a call names, if it names one, e.g. `Call.launch`; the function's name)"""
        for child in ast.walk(node):
            if isinstance(child, ast.Raise) and isinstance(child.exc, ast.Call):
                if isinstance(child.exc.func, ast.Name):
                    self.raises.add(child.exc.func.id)
            elif isinstance(child, ast.Call):
                called = child.func
                if isinstance(called, ast.Name):
                    self.calls.add((None, called.id))
                elif isinstance(called, ast.Attribute):
                    owner = called.value.id if isinstance(called.value, ast.Name) else None
                    self.calls.add((owner, called.attr))


def _functions() -> Iterator[tuple[str | None, str, Function]]:
    """(class name or None, function name, what it raises and calls) over domain/ and
    application/ (the read side excepted: it refuses nothing a command answers)."""
    folders = (ROOT / "domain", Path(inspect.getfile(application)).parent)
    for folder in folders:
        for source in folder.rglob("*.py"):
            if "projections" in source.parts:
                continue
            tree = ast.parse(source.read_text())
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    yield None, node.name, Function(node)
                for klass in ast.walk(node) if isinstance(node, ast.ClassDef) else ():
                    if isinstance(klass, ast.ClassDef):
                        for member in klass.body:
                            if isinstance(member, ast.FunctionDef):
                                yield klass.name, member.name, Function(member)


FUNCTIONS = list(_functions())
BY_NAME: dict[str, list[Function]] = defaultdict(list)
BY_QUALIFIED: dict[tuple[str, str], list[Function]] = defaultdict(list)
for owner, name, function in FUNCTIONS:
    BY_NAME[name].append(function)
    if owner is not None:
        BY_QUALIFIED[(owner, name)].append(function)


def reachable_rules(start: Function) -> set[str]:
    found: set[str] = set()
    seen: set[int] = set()
    pending = [start]
    while pending:
        function = pending.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        found |= function.raises & RULES
        for owner, name in function.calls:
            named = BY_QUALIFIED.get((owner, name)) if owner else None
            pending.extend(named if named else BY_NAME.get(name, []))
    return found


def rules_reached_by(handle: Callable[..., object]) -> set[str]:
    node = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(handle)))).body[0]
    assert isinstance(node, ast.FunctionDef)
    return reachable_rules(Function(node))


def test_every_rule_a_handler_can_reach_is_among_its_commands_refusals():
    undeclared = {}
    assert len(FilieresApplication.handlers) >= 29
    for command, handle in FilieresApplication.handlers.items():
        reached = rules_reached_by(handle)
        if "expected_version" not in command.model_fields:
            # `record` refuses a lost race on an existing aggregate; a creation saves a new
            # aggregate under a newly drawn id, which no other command can be writing.
            reached.discard("ConcurrencyError")
        declared = {e.__name__ for e in refusals_of(command)}
        if reached - declared:
            undeclared[command.__name__] = sorted(reached - declared)
    assert not undeclared, f"rules a command can break but does not declare: {undeclared}"


def test_the_walk_finds_rules_through_the_domain():
    """Not vacuous: a refusal two calls deep in the domain is found."""
    handle = FilieresApplication.handlers[
        next(c for c in FilieresApplication.handlers if c.__name__ == "DecideCandidacy")
    ]
    reached = rules_reached_by(handle)
    assert {"CallConcludedError", "BudgetEnvelopeExceededError", "RecusalError"} <= reached


def test_no_command_declares_a_rule_its_handler_cannot_reach():
    """A refusal documented but no longer possible misleads a client as much as one missing."""
    stale = {}
    for command, handle in FilieresApplication.handlers.items():
        reached = rules_reached_by(handle)
        declared = {e.__name__ for e in refusals_of(command)}
        if declared - reached:
            stale[command.__name__] = sorted(declared - reached)
    assert not stale, f"declared refusals no code path raises: {stale}"
