"""One document writer for every layout: a Person and a Style in, .docx bytes out.

The writer builds the form as plain blocks (``wordml`` paragraphs and table specs) in
the order of Attachment 1 — title, cover block, 填报说明, sections 一 to 十一 — and lets
``wordml.Renderer`` write them. All layout differences come from the Style.
"""

from __future__ import annotations

import zlib

from extractors.text import join_lines

from . import template as T
from .people import Person
from .sections import section_tables
from .styles import Style
from .wordml import (
    Break,
    C,
    Control,
    Inserted,
    P,
    Picture,
    Renderer,
    Run,
    Tab,
    TableSpec,
    TextBox,
    place,
    regrid,
    spread,
)

_BOUNDARIES = ("公司", "学院", "大学", "研究院", "研究所", "厂", "区", "路", "号", "部", "所", "中心",
               "衡阳", "湖南省", "市", "集团", "学会")
_WRAP_MIN = 12  # shorter values fit on one line


def split_line(text: str) -> tuple[str, str] | None:
    """Two lines a person might break ``text`` into, joined back to ``text`` by join_lines.

    A break at a space would lose the space (join_lines glues Chinese lines), so the break
    goes after a word such as 公司 or 区, else near the middle.
    """
    cuts = [i for i in range(2, len(text) - 1)
            if join_lines(text[:i] + "\n" + text[i:]) == join_lines(text)]
    if not cuts:
        return None
    natural = [i for i in cuts if text[:i].endswith(_BOUNDARIES) or text[i] == "（"]
    middle = len(text) / 2
    best = min(natural or cuts, key=lambda i: abs(i - middle))
    return text[:best], text[best:]


def person_variant(person: Person) -> int:
    """A stable small number per person, to cycle writings across people."""
    return zlib.crc32(person.slug.encode()) % 97


class FormWriter:
    def __init__(self, person: Person, style: Style):
        self.person = person
        self.style = style
        self.variant = person_variant(person)

    def docx(self) -> bytes:
        renderer = Renderer(fragment_runs=self.style.fragment_runs)
        return renderer.render(self.blocks())

    def blocks(self) -> list:
        title = T.TITLE if self.style.title is None else self.style.title
        blocks = [P([Run(T.ATTACHMENT_LABEL)]), P([Run(title, bold=True)], center=True), P()]
        blocks += self.cover()
        blocks += [P(), P([Run(T.INSTRUCTIONS_TITLE, bold=True)], center=True)]
        blocks += [P([Run(line)]) for line in T.INSTRUCTIONS]
        blocks += self.sections()
        return blocks

    # --- pieces of cells -------------------------------------------------------------

    def typed(self, text: str) -> list:
        """Pieces for text the candidate typed (a tracked insertion in the tracked layout)."""
        if not text:
            return []
        return [Inserted(text)] if self.style.tracked else [Run(text)]

    def value(self, text: str | None, wrap: bool = False, tag: str = "") -> list[P]:
        """A single-line value; wrapped over two lines or put in a content control on demand."""
        text = text or ""
        if self.style.controls and tag:
            return [P([Control(tuple(self.typed(text)), tag=tag)])]
        if self.style.text_boxes and tag and text:
            return [P([TextBox(text, vml_only=self.variant % 2 == 1)])]
        wrapping = wrap and self.style.wrap_values and len(text) >= _WRAP_MIN
        halves = split_line(text) if wrapping else None
        if halves is None:
            return [P(self.typed(text))]
        if len(text) % 2:
            return [P(self.typed(halves[0])), P(self.typed(halves[1]))]
        return [P(self.typed(halves[0]) + [Break()] + self.typed(halves[1]))]

    def long_text(self, text: str) -> list[P]:
        """A multi-line text: paragraphs, or one paragraph with line breaks (wrap layout)."""
        lines = text.split("\n")
        indent = "\u3000\u3000" if self.style.indent else ""
        if self.style.wrap_values and len(lines) > 1:
            pieces: list = []
            for i, line in enumerate(lines):
                pieces += ([Break()] if i else []) + self.typed(line)
            return [P(pieces)]
        paras = []
        for i, line in enumerate(lines):
            if i and self.style.indent:
                paras.append(P())
            paras.append(P(self.typed(indent + line if line else line)))
        return paras

    def label(self, text: str) -> C:
        return C([P([Run(line)]) for line in self.style.label(text).split("\n")])

    def choice(self, lines: list[list[str]], chosen: str, kind: str, other: str | None = None) -> list[P]:
        """An option cell: every line of printed options, the chosen one marked."""
        marks = self.style.marks
        paras = []
        for line in lines:
            parts = []
            for option in line:
                picked = option == chosen
                pieces = list(marks.option(option, picked, kind))
                if picked and option == T.OTHER and other:
                    pieces += marks.after_other(other)
                if pieces:
                    parts.append(pieces)
            if parts:
                paras.append(P(_joined(parts, Run(marks.sep))))
        return paras or [P()]

    def inline_choice(self, lines: list[list[str]], chosen: str, kind: str) -> list:
        """The options of a cell on one line, for the paragraph cover."""
        flat = [[option for line in lines for option in line]]
        return self.choice(flat, chosen, kind)[0].pieces

    # --- cover ----------------------------------------------------------------------

    def cover_values(self) -> list[tuple[str, list[P]]]:
        p = self.person
        return [
            ("recommender", self.value(p.recommender, tag="推荐单位")),
            ("candidate_name", self.value(p.name, tag="人选姓名")),
            ("employer", self.value(p.employer, tag="所在单位")),
            ("engineering_field", self.choice(T.FIELD_LINES, p.domain, "field")),
            ("classified", self.choice(T.YES_NO_LINES, _yes_no(p.classified), "binary")),
            ("secret_level", self.choice(T.SECRET_LINES, p.secret_level, "binary")),
            ("filled_date", [P(self.filled_date())]),
        ]

    def filled_date(self) -> list:
        """填报日期 as typed, or the template's blank "年 月 日" left as printed."""
        if self.person.filled_date is None:
            return [Run(T.BLANK_DATE)]
        return self.typed(self.style.dates.write_filled(self.person.filled_date, self.variant))

    def cover(self) -> list:
        if self.style.cover == "paragraphs":
            return self.cover_paragraphs()
        rows = [[self.label(T.COVER_LABELS[key]), C(paras)] for key, paras in self.cover_values()]
        return [TableSpec(rows, style=None)]

    def cover_paragraphs(self) -> list:
        p = self.person
        label = self.style.label
        lines = [
            [Run(label("推荐单位：")), Tab()] + self.typed(p.recommender),
            [Run(label("人选姓名：")), Run("    ")] + self.typed(p.name),
            [Run(label("所在单位：")), Tab()] + self.typed(p.employer),
            [Run(label("工程领域：")), Run(" ")] + self.inline_choice(T.FIELD_LINES, p.domain, "field"),
            [Run("国防军工涉密领域："), Run("  ")]
            + self.inline_choice(T.YES_NO_LINES, _yes_no(p.classified), "binary"),
            [Run(label("密级：")), Tab()] + self.inline_choice(T.SECRET_LINES, p.secret_level, "binary"),
            [Run(label("填报日期：")), Tab()] + self.filled_date(),
        ]
        return [P(line) for line in lines]

    # --- sections -------------------------------------------------------------------

    def heading(self, number: int) -> P:
        text = T.HEADINGS[number]
        if self.style.heading == "bold":
            return P([Run(text, bold=True)])
        if self.style.heading == "style":
            return P([Run(text)], style="Heading 2")
        return P([Run(text)])

    def sections(self) -> list:
        tables = section_tables(self)
        blocks: list = []
        if self.style.one_table:
            blocks.append(_one_table(self, tables))
        else:
            for number in range(1, 9):
                split = self.style.split_tables and number in SPLIT_SECTIONS
                blocks += [self.heading(number)] + (_split(tables[number]) if split else [tables[number]])
                if number == 5:
                    blocks.append(P([Run(T.RESULT_NOTE)]))
        for number in range(9, 12):
            blocks += [self.heading(number), tables[number], P()]
        return blocks

    def photo_paras(self) -> list[P]:
        label = self.style.label(T.PHOTO_LABEL)
        data = self.person.photo
        if data is None:
            return [P([Run(label)], center=True)]
        picture = P([Picture(data)], center=True)
        return [P([Run(label)], center=True), picture] if self.style.photo_label else [picture]


SPLIT_SECTIONS = (1, 2, 3)  # 基本信息 and the two histories: the tables long enough to break


def _split(spec: TableSpec) -> list:
    """The table broken in two at a page, as Word does when someone presses Enter at a row
    (or uses 拆分表格): an empty paragraph between, the second part without a header row.
    It breaks nearest its middle, where no merged cell spans the break."""
    safe = [k for k in range(1, len(spec.rows))
            if all(r + item.rowspan <= k for r, _, item in place(TableSpec(spec.rows[:k]))[0])]
    if not safe:
        return [spec]
    k = min(safe, key=lambda k: abs(2 * k - len(spec.rows)))
    return [TableSpec(spec.rows[:k], spec.style), P(), TableSpec(spec.rows[k:], spec.style)]


def _joined(parts: list[list], separator) -> list:
    out: list = []
    for i, part in enumerate(parts):
        out += ([separator] if i else []) + part
    return out


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _one_table(writer: FormWriter, tables: dict[int, TableSpec]) -> TableSpec:
    """Sections 一 to 八 in one table; each heading a row across the full width."""
    _, width = place(tables[1])
    rows: list[list[C]] = []
    for number in range(1, 9):
        spec = tables[number]
        if number > 1:
            _, columns = place(spec)
            regrid(spec, spread(columns, width))
        rows.append([C([writer.heading(number)], colspan=width)])
        rows += spec.rows
        if number == 5:
            rows.append([C([P([Run(T.RESULT_NOTE)])], colspan=width)])
    return TableSpec(rows)
