"""The standard library's MIME parser, told to look for a part's last line ending at its end.

When a multipart's closing boundary comes, ``email.feedparser`` takes the line ending
before it off the last part's payload (and off the epilogue) with ``NLCRE_eol.search``, a
pattern anchored at the end, ``(\\r\\n|\\r|\\n)\\Z``, but searched from the start: it stops
at each of a base64 part's 80,000 line endings per 6 MB to try the anchor. That was 0.43 s
of the 1.1 s parsing a 58 MB mail of scans takes, before any of its pages can be read
(issue 22, bench/bench_pipeline.py).

A match can only begin in the last two characters, and the parser uses nothing of it but
its text (``group(0)``): the same pattern searched there alone gives the same answer.
"""

from __future__ import annotations

import email.feedparser
import re

PATTERN = r"(\r\n|\r|\n)\Z"  # email.feedparser.NLCRE_eol's, as Python 3.11-3.13 have it


class TrailingLineEnd:
    """``NLCRE_eol`` searching the last two characters of a text alone."""

    pattern = PATTERN

    def __init__(self) -> None:
        self._regex = re.compile(PATTERN)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex.search(text[-2:])


def search_line_ends_at_the_end() -> None:
    """``email.feedparser`` given ``TrailingLineEnd`` (once; left alone where its pattern is
    not the one this stands for, as a later Python's may be)."""
    parser_globals = vars(email.feedparser)  # the module's own names: NLCRE_eol is no API
    current = parser_globals.get("NLCRE_eol")
    if isinstance(current, re.Pattern) and current.pattern == PATTERN:
        parser_globals["NLCRE_eol"] = TrailingLineEnd()
