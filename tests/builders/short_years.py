"""A Word form whose dates are written with two-digit years, as people write them
(86年3月12日, 04.9-08.6): the official form's text rewritten in its XML."""

from __future__ import annotations

import io
import zipfile


def with_rewritten_text(docx: bytes, replacements: dict[str, str]) -> bytes:
    """The .docx with each text replaced in word/document.xml (values sit in one run)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                for old, new in replacements.items():
                    assert old in text, f"{old!r} not in the form"
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()
