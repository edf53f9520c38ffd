"""The copy of a Word document that the experts' dossier is made from, with personal data
hidden: the candidate's ID number, phones, e-mail and address (the values the form gave),
and anything else shaped like an ID number, a mobile number or an e-mail address.

Masking works on each paragraph's text as Word stores it, split over runs: every masked
character becomes ``*`` in the run that holds it, so the layout and formatting of the
form stay as they were and nothing of the value is left in any run.

    >>> masked_text("证件号码430406198001011234 电话0734-8839810", ["0734-8839810"])
    '证件号码****************** 电话************'
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from lxml import etree

WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _T = f"{{{WORD_NS}}}p", f"{{{WORD_NS}}}t"
# The parts of a .docx that hold text a reader sees.
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
# Shapes masked wherever they stand, whoever they belong to.
_SHAPES = (
    re.compile(r"(?<![0-9])[0-9]{6}[ \-]?[0-9]{8}[ \-]?[0-9]{3}[0-9Xx](?![0-9])"),  # ID number
    re.compile(r"(?<![0-9])(?:\+?86[ \-]?)?1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4}(?![0-9])"),
    re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),  # e-mail
)
MASK = "*"
MIN_VALUE_CHARS = 4  # shorter values ("无", "-") would mask ordinary words


def spans_to_mask(text: str, values: Iterable[str]) -> list[tuple[int, int]]:
    """Where in ``text`` a given value or a personal-data shape stands."""
    spans = [m.span() for shape in _SHAPES for m in shape.finditer(text)]
    for value in values:
        value = value.strip()
        if len(value) < MIN_VALUE_CHARS:
            continue
        start = text.find(value)
        while start >= 0:
            spans.append((start, start + len(value)))
            start = text.find(value, start + 1)
    return spans


def masked_text(text: str, values: Iterable[str]) -> str:
    chars = list(text)
    for start, end in spans_to_mask(text, values):
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def mask_part(xml: bytes, values: list[str]) -> bytes:
    """One XML part with every paragraph's personal data masked, run by run."""
    root = etree.fromstring(xml)
    by_paragraph: dict[etree._Element, list[etree._Element]] = {}
    for node in root.iter(_T):
        paragraph = next(node.iterancestors(_P), None)
        if paragraph is not None:
            by_paragraph.setdefault(paragraph, []).append(node)
    changed = False
    for nodes in by_paragraph.values():
        texts = [node.text or "" for node in nodes]
        joined = "".join(texts)
        masked = masked_text(joined, values)
        if masked == joined:
            continue
        changed = True
        offset = 0
        for node, text in zip(nodes, texts):
            node.text = masked[offset:offset + len(text)]
            offset += len(text)
    if not changed:
        return xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def masked_docx(data: bytes, values: list[str]) -> bytes:
    """A .docx with the personal data of every text part masked; other parts copied as they are."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if _TEXT_PARTS.fullmatch(info.filename):
                content = mask_part(content, values)
            target.writestr(info, content)
    return out.getvalue()
