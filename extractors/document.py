"""The document model every form reader builds: paragraphs and tables of text segments.

The Word reader (``extractors.word.docx``) fills it from a .docx; the PDF and scan
readers (``extractors.forms.pdf_form``, ``extractors.forms.scan_form``) rebuild a page's
table in it, so one form parser reads them all. A ticked box is the character ☑, an empty
one ☐; a highlighted or shaded run is a ``marked`` segment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

CHECKED = "☑"
UNCHECKED = "☐"


@dataclass
class Segment:
    text: str
    marked: bool = False  # highlighted or shaded: one way people pick an option
    boxed: bool = False  # typed in a text box anchored in the paragraph, not in the paragraph


@dataclass
class Paragraph:
    segments: list[Segment] = field(default_factory=list)
    image_ids: list[str] = field(default_factory=list)  # relationship ids of pictures

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class Cell:
    blocks: list[Paragraph | Table] = field(default_factory=list)
    span: int = 1
    continues_above: bool = False  # a vertically merged cell below its first row

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def segments(self) -> list[Segment]:
        """All segments, a line break between paragraphs."""
        out: list[Segment] = []
        for i, para in enumerate(self.paragraphs):
            if i:
                out.append(Segment("\n"))
            out.extend(para.segments)
        return out

    @property
    def image_ids(self) -> list[str]:
        return [i for p in self.paragraphs for i in p.image_ids]


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Document:
    blocks: list[Paragraph | Table]
    images: dict[str, tuple[str, bytes]]  # relationship id -> (content type, bytes)

    def tables(self) -> Iterator[Table]:
        """Every table, nested ones after their parent, in document order."""
        yield from _tables_in(self.blocks)


def _tables_in(blocks: list[Paragraph | Table]) -> Iterator[Table]:
    for block in blocks:
        if isinstance(block, Table):
            yield block
            for row in block.rows:
                for cell in row:
                    yield from _tables_in(cell.blocks)
