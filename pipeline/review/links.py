"""Where things are in the review workspace: the paths its pages have, so that the
daily report can link each finding to the page where staff settle it.

An anchor is made of letters only: the report masks digit runs that look like ID or
phone numbers, and a hex fingerprint may hold such a run.

    >>> finding_anchor("0123456789abcdef0123")
    'f-ghijklmnopabcdefghij'
    >>> unit_path("衡阳市机械工程学会")
    '/units/%E8%A1%A1%E9%98%B3%E5%B8%82%E6%9C%BA%E6%A2%B0%E5%B7%A5%E7%A8%8B%E5%AD%A6%E4%BC%9A'
"""

from __future__ import annotations

from urllib.parse import quote

_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def finding_anchor(fingerprint: str) -> str:
    return "f-" + fingerprint[:20].translate(_LETTERS)


def candidate_path(candidate_id: int) -> str:
    return f"/candidates/{candidate_id}"


def unit_path(recommender: str) -> str:
    return "/units/" + quote(recommender, safe="")


def join_url(base: str, path: str) -> str:
    return base.rstrip("/") + path
