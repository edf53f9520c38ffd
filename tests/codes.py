"""Check codes as tests name them: a code not in the catalog is a typo, and fails the test
instead of silently asserting that no finding has it.

Every helper of the tests that takes a code checks it with ``known`` (or the catalog's
own ``check_of``); ``tests/test_test_hygiene.py`` makes sure of it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.model.catalog import CATALOG
from pipeline.model.reasons import REASONS


def known(code: object) -> str:
    """``code``, if the catalog has it."""
    if code not in CATALOG:
        raise AssertionError(f"{code!r} is not a check code of the catalog (misspelled?)")
    return str(code)


def codes(*names: str) -> CodeSet:
    """A set of codes written in a test, each checked: ``codes("YOUTH", "BIO_MISSING")``."""
    return CodeSet(known(name) for name in names)


def _known_all(other: Iterable[object]) -> frozenset[str]:
    return frozenset(known(code) for code in other)


class CodeSet(frozenset):
    """Codes found; asking about a code the catalog lacks is an error, not False. Comparing
    with, or taking away, a set that holds a misspelled code is an error too."""

    def __contains__(self, code: object) -> bool:
        return super().__contains__(known(code))

    def isdisjoint(self, other: Iterable[object]) -> bool:
        return super().isdisjoint(_known_all(other))

    def issubset(self, other: Iterable[object]) -> bool:
        return super().issubset(_known_all(other))

    def issuperset(self, other: Iterable[object]) -> bool:
        return super().issuperset(_known_all(other))

    def __le__(self, other: Iterable[object]) -> bool:
        return super().__le__(_known_all(other))

    def __lt__(self, other: Iterable[object]) -> bool:
        return super().__lt__(_known_all(other))

    def __ge__(self, other: Iterable[object]) -> bool:
        return super().__ge__(_known_all(other))

    def __gt__(self, other: Iterable[object]) -> bool:
        return super().__gt__(_known_all(other))

    def __and__(self, other: Iterable[object]) -> frozenset:
        return super().__and__(_known_all(other))

    def __sub__(self, other: Iterable[object]) -> frozenset:
        return super().__sub__(_known_all(other))


class CodeList(list):
    """Codes found, in order and with repeats; checked like ``CodeSet``."""

    def __contains__(self, code: object) -> bool:
        return super().__contains__(known(code))

    def count(self, code: object) -> int:
        return super().count(known(code))

    def index(self, code: object, *args: int) -> int:
        return super().index(known(code), *args)


def failure_code(name: object) -> str:
    """``name``, if it is a failure code of the reasons table: one written in a test."""
    if name not in REASONS:
        raise AssertionError(f"{name!r} is not a failure code of the reasons table (misspelled?)")
    return str(name)
