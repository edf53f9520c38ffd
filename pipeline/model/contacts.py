"""The shapes a contact field may take: what CONTACT_INVALID accepts
(``pipeline.checks.form``), and what a scanned form's OCR reading must look like to be
trusted (``pipeline.intake.forms``). One definition, so the two never disagree."""

from __future__ import annotations

import re

from extractors.text import compact

_MOBILE = re.compile(r"1[3-9]\d{9}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_POSTCODE = re.compile(r"\d{6}")


def is_mainland_mobile(text: str) -> bool:
    """11 digits starting 13-19, after dropping spaces, dashes and a +86 / 0086 prefix.

    >>> is_mainland_mobile("+86 139-0734-1286"), is_mainland_mobile("0734-8872316")
    (True, False)
    """
    digits = re.sub(r"[\s\-－—()（）]", "", text)
    digits = re.sub(r"^(\+86|0086|86(?=1\d{10}$))", "", digits)
    return bool(_MOBILE.fullmatch(digits))


def is_email(text: str) -> bool:
    return bool(_EMAIL.fullmatch(text.strip()))


def is_postcode(text: str) -> bool:
    return bool(_POSTCODE.fullmatch(compact(text)))
