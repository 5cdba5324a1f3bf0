"""French identifiers of legal persons: SIREN, SIRET (INSEE) and RNA (associations).

A SIREN is 9 digits passing the Luhn check; a SIRET is the SIREN followed by a
5-digit establishment number, and the whole 14 digits pass the Luhn check too,
except La Poste's establishments (SIREN 356000000), whose digits may instead
sum to a multiple of 5. An RNA number is `W` and 9 digits.
"""

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, Field

LA_POSTE_SIREN = "356000000"
_SIREN = re.compile(r"\d{9}")
_SIRET = re.compile(r"\d{14}")
_RNA = re.compile(r"W\d{9}")


def luhn_valid(digits: str) -> bool:
    """The Luhn check: every second digit from the right doubled, the sum a multiple of 10."""
    total = 0
    for rank, character in enumerate(reversed(digits)):
        digit = int(character)
        if rank % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def siren_problem(value: str) -> str | None:
    return _form_problem("SIREN", _SIREN, value, "9 digits") or _luhn_problem(
        f"SIREN {value}", value
    )


def siret_problem(value: str) -> str | None:
    if problem := _form_problem("SIRET", _SIRET, value, "14 digits"):
        return problem
    siren = value[:9]
    if siren == LA_POSTE_SIREN:
        # La Poste numbers most of its establishments outside the Luhn rule (its head office
        # follows it): their digits sum to a multiple of 5.
        if sum(int(c) for c in value) % 5 != 0 and not luhn_valid(value):
            return f"SIRET {value} of La Poste has a wrong check digit (digit sum or Luhn)"
        return None
    return _luhn_problem(f"SIRET {value}: its SIREN {siren}", siren) or _luhn_problem(
        f"SIRET {value}", value
    )


def rna_problem(value: str) -> str | None:
    return _form_problem("RNA", _RNA, value, "W followed by 9 digits")


def _form_problem(scheme: str, form: re.Pattern[str], value: str, described: str) -> str | None:
    """Why `value` is not of the scheme's form (the first 20 characters shown), or None."""
    return None if form.fullmatch(value) else f"{scheme} {value[:20]!r} is not {described}"


def _luhn_problem(named: str, digits: str) -> str | None:
    return None if luhn_valid(digits) else f"{named} has a wrong check digit (Luhn)"


def _checked(problem_of: Callable[[str], str | None]) -> AfterValidator:
    def check(value: str) -> str:
        problem = problem_of(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


Siren = Annotated[
    str, _checked(siren_problem), Field(description="9 digits, Luhn check.", examples=["775672272"])
]
Siret = Annotated[
    str,
    _checked(siret_problem),
    Field(
        description="14 digits: the SIREN then the establishment number; both pass Luhn.",
        examples=["77567227200019"],
    ),
]
Rna = Annotated[
    str,
    _checked(rna_problem),
    Field(
        description="The associations' register number: W and 9 digits.", examples=["W423001234"]
    ),
]
