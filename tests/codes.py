"""Check codes as tests name them: a code not in the catalog is a typo, and fails the test
instead of silently asserting that no finding has it."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.model.catalog import CATALOG


def known(code: object) -> str:
    """``code``, if the catalog has it."""
    if code not in CATALOG:
        raise AssertionError(f"{code!r} is not a check code of the catalog (misspelled?)")
    return str(code)


class CodeSet(frozenset):
    """Codes found; asking about a code the catalog lacks is an error, not False."""

    def __contains__(self, code: object) -> bool:
        return super().__contains__(known(code))

    def isdisjoint(self, other: Iterable[object]) -> bool:
        return super().isdisjoint({known(code) for code in other})


class CodeList(list):
    """Codes found, in order and with repeats; checked like ``CodeSet``."""

    def __contains__(self, code: object) -> bool:
        return super().__contains__(known(code))

    def count(self, code: object) -> int:
        return super().count(known(code))
