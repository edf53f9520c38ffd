"""The choices a layout is made of: how ticks, dates, labels and numbers are written.

Every writer of a date checks what it wrote against ``extractors.forms.dates``, so a layout
can never write something the expected record does not stand for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from extractors.forms.dates import format_chinese_date, parse_date, parse_period, to_month

from .template import BLANK_DATE
from .wordml import ControlBox, Deleted, Inserted, LegacyBox, Run, Sym

# --- ticks ------------------------------------------------------------------------------
# kind: "field" (cover 工程领域), "binary" (是/否, 密级), "multi" (工作单位性质),
# "sub" (领域 sub-fields), "label" (the domain name heading a 领域 row).


@dataclass(frozen=True)
class Boxes:
    """A box character before every option: ☑/☐, ■/□."""

    on: str = "☑"
    off: str = "☐"
    sep: str = "  "
    other_format: str = "：{}"
    marks_labels: bool = True

    def option(self, text: str, chosen: bool, kind: str) -> list:
        return [Run((self.on if chosen else self.off) + text)]

    def after_other(self, text: str) -> list:
        return [Run(self.other_format.format(text))]


@dataclass(frozen=True)
class TicksAfter:
    """是（√） 否（ ） in yes/no cells; a √ (✓ among sub-fields) after the chosen option."""

    sep: str = " "
    marks_labels: bool = True

    def option(self, text: str, chosen: bool, kind: str) -> list:
        if kind == "binary":
            return [Run(f"{text}（√）" if chosen else f"{text}（ ）")]
        tick = "✓" if kind == "sub" else "√"
        return [Run(text + tick if chosen else text)]

    def after_other(self, text: str) -> list:
        return [Run(" " + text)]


@dataclass(frozen=True)
class TickBefore:
    """A typed √ before the chosen option only; the others stay as printed."""

    sep: str = "  "
    marks_labels: bool = True

    def option(self, text: str, chosen: bool, kind: str) -> list:
        return [Run("√" + text if chosen else text)]

    def after_other(self, text: str) -> list:
        return [Run("（" + text + "）")]


@dataclass(frozen=True)
class Marked:
    """The chosen option highlighted (or shaded), no tick characters at all."""

    shade: str | None = None  # None: yellow highlight; else a shading fill colour
    sep: str = "  "
    marks_labels: bool = True

    def option(self, text: str, chosen: bool, kind: str) -> list:
        if not chosen:
            return [Run(text)]
        return [Run(text, highlight=self.shade is None, shade=self.shade)]

    def after_other(self, text: str) -> list:
        return [Run("："), Run(text, highlight=self.shade is None, shade=self.shade)]


@dataclass(frozen=True)
class Wingdings:
    """Wingdings 2 symbols inserted with Insert > Symbol: F052 (☑) and F0A3 (☐)."""

    sep: str = " "
    marks_labels: bool = True

    def option(self, text: str, chosen: bool, kind: str) -> list:
        return [Sym("F052" if chosen else "F0A3"), Run(text)]

    def after_other(self, text: str) -> list:
        return [Run("：" + text)]


@dataclass(frozen=True)
class LegacyBoxes:
    """Legacy FORMCHECKBOX fields; some ticked by w:default, some by a later w:checked."""

    sep: str = "  "
    marks_labels: bool = True

    def option(self, text: str, chosen: bool, kind: str) -> list:
        return [LegacyBox(chosen, by_checked_element=len(text) % 2 == 0), Run(text)]

    def after_other(self, text: str) -> list:
        return [Run("：" + text)]


@dataclass(frozen=True)
class ControlBoxes:
    """w14 check-box content controls (☒ / ☐)."""

    sep: str = "  "
    marks_labels: bool = True

    def option(self, text: str, chosen: bool, kind: str) -> list:
        return [ControlBox(chosen), Run(text)]

    def after_other(self, text: str) -> list:
        return [Run("：" + text)]


@dataclass(frozen=True)
class DeleteOthers:
    """Only the chosen option left in the cell; the others deleted (tracked or not)."""

    tracked: bool = False
    sep: str = " "
    marks_labels: bool = False

    def option(self, text: str, chosen: bool, kind: str) -> list:
        if chosen:
            return [Run(text)]
        return [Deleted(text)] if self.tracked else []

    def after_other(self, text: str) -> list:
        return [Inserted("：" + text)] if self.tracked else [Run("：" + text)]


# --- dates ------------------------------------------------------------------------------


def _dot(iso_month: str, pad: bool = True) -> str:
    year, month = iso_month.split("-")[:2]
    return f"{year}.{month if pad else int(month)}"


def _chinese_month(iso_month: str) -> str:
    return format_chinese_date(iso_month[:7])


def _compact(iso_month: str) -> str:
    return iso_month[:7].replace("-", "")


def _slash(iso_month: str) -> str:
    return iso_month[:7].replace("-", "/")


def checked_date(written: str, iso: str) -> str:
    assert parse_date(written) == iso, f"{written!r} does not parse to {iso}"
    return written


def checked_period(written: str, start: str, end: str | None) -> str:
    period = parse_period(written)
    got = (to_month(period.start), to_month(period.end)) if period else None
    assert got == (start, end), f"{written!r} parses to {got}, not {(start, end)}"
    return written


@dataclass(frozen=True)
class Dates:
    """How one layout writes a birth date, the 填报日期 and the periods of rows.

    Each writer is a list of format functions, cycled by person (birth, filled date) or
    by row (periods), so one layout shows several writings.
    """

    birth: tuple[Callable[[str], str], ...]
    filled: tuple[Callable[[str], str], ...]
    closed: tuple[Callable[[str, str], str], ...]
    open: tuple[Callable[[str], str], ...]
    bound: Callable[[str], str] = _dot
    open_bound: str = "至今"

    def write_birth(self, iso: str, n: int) -> str:
        return checked_date(self.birth[n % len(self.birth)](iso), iso)

    def write_filled(self, iso: str | None, n: int) -> str:
        if iso is None:
            return BLANK_DATE
        return checked_date(self.filled[n % len(self.filled)](iso), iso)

    def write_period(self, start: str, end: str | None, n: int) -> str:
        if end is None:
            return checked_period(self.open[n % len(self.open)](start), start, None)
        return checked_period(self.closed[n % len(self.closed)](start, end), start, end)

    def write_bounds(self, start: str, end: str | None) -> tuple[str, str]:
        """Start and end for a period split over two cells."""
        first = checked_date(self.bound(start), start)
        return first, self.open_bound if end is None else checked_date(self.bound(end), end)


OFFICIAL_DATES = Dates(
    birth=(format_chinese_date,),
    filled=(format_chinese_date,),
    closed=(lambda s, e: f"{_dot(s)}-{_dot(e)}",),
    open=(lambda s: f"{_dot(s)}-至今",),
)

DOTTED_DATES = Dates(
    birth=(lambda d: d.replace("-", "."),),
    filled=(lambda d: d.replace("-", "."),),
    closed=(lambda s, e: f"{_dot(s)}—{_dot(e)}",),
    open=(lambda s: f"{_dot(s)}至今",),
)


def _unpadded(iso: str, sep: str) -> str:
    return sep.join(str(int(part)) for part in iso.split("-"))


VARIED_DATES = Dates(
    birth=(
        lambda d: d.replace("-", ""),
        lambda d: _unpadded(d, "-"),
        lambda d: d.replace("-", "/"),
        lambda d: _unpadded(d, "."),
        lambda d: d[:4] + "年" + d[5:7] + "月" + d[8:] + "日",
    ),
    filled=(lambda d: _unpadded(d, "."), lambda d: d, format_chinese_date, lambda d: _unpadded(d, "/")),
    closed=(
        lambda s, e: f"{_chinese_month(s)}—{_chinese_month(e)}",
        lambda s, e: f"{_slash(s)}～{_slash(e)}",
        lambda s, e: f"{_compact(s)}-{_compact(e)}",
        lambda s, e: f"{_dot(s, pad=False)}-{_dot(e, pad=False)}",
        lambda s, e: f"{_dot(s)}至{_dot(e)}",
        lambda s, e: f"{s}~{e}",
    ),
    open=(
        lambda s: f"{_dot(s)}至今",
        lambda s: f"{_dot(s)}-",
        lambda s: f"{_chinese_month(s)}—今",
        lambda s: f"{_compact(s)}-至今",
        lambda s: f"{_slash(s)}～现在",
    ),
    bound=_chinese_month,
)


# --- labels and numbers ---------------------------------------------------------------


def plain_label(label: str) -> str:
    return label


_SPACED = {
    "姓名": "姓  名", "性别": "性别：", "出生日期": "出 生 日 期：", "民族": "民  族", "国籍": "国  籍",
    "学位": "学  位", "专业": "专  业", "手机": "手  机：", "邮编": "邮  编：", "照片": "照  片",
    "推荐单位：": "推 荐 单 位：", "人选姓名：": "人 选 姓 名：", "密级：": "密    级：",
    "政治面貌": "政治面貌：", "证件号码": "证件号码：", "电子邮箱": "电子邮箱:",
}


def spaced_label(label: str) -> str:
    """Labels as people retype them: inner spaces, colons full- or half-width."""
    if label in _SPACED:
        return _SPACED[label]
    if len(label) == 4 and "\n" not in label and not label.endswith("："):
        return " ".join(label)
    return label


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Numbers:
    """How phone numbers, the postcode and the ID number are typed."""

    mobile: Callable[[str], str] = str
    office: Callable[[str], str] = str
    postcode: Callable[[str], str] = str
    id_number: Callable[[str], str] = str


ASCII_NUMBERS = Numbers()
GROUPED_NUMBERS = Numbers(
    mobile=lambda m: f"{m[:3]} {m[3:7]} {m[7:]}",
    postcode=lambda p: f"{p[:3]} {p[3:]}",
    id_number=lambda i: f"{i[:6]} {i[6:14]} {i[14:]}",
)
FULLWIDTH_NUMBERS = Numbers(
    mobile=lambda m: m.translate(_FULLWIDTH),
    office=lambda o: o.translate(_FULLWIDTH),
    postcode=lambda p: p.translate(_FULLWIDTH),
    id_number=lambda i: i.lower(),
)


# --- a layout ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """Everything one layout decides; the document writer combines them."""

    marks: object = field(default_factory=Boxes)
    dates: Dates = OFFICIAL_DATES
    label: Callable[[str], str] = plain_label
    numbers: Numbers = ASCII_NUMBERS
    cover: str = "table"  # or "paragraphs"
    one_table: bool = False  # sections 一 to 八 in one table, headings as merged rows
    grid_units: bool = False  # a finer grid: every cell spans several grid columns
    vertical_merge: bool = False  # 候选人 / 领域 label cells vMerged down their rows
    split_period: bool = False  # 起止年月 as two cells under one header
    combined: frozenset[str] = frozenset()  # section 一 fields written "标签：值" in one cell
    title: str | None = None  # another title above the table (last year's, another selection's)
    exact_rows: bool = False  # rows added or deleted to fit the data
    wrap_values: bool = False  # single-line values over two lines, long texts with w:br
    keep_instruction: bool = False  # section 四's printed instruction left above the text
    heading: str = "plain"  # "plain", "bold" or "style" (Heading 2)
    controls: bool = False  # rich-text content controls around values
    text_boxes: bool = False  # cover and section 一 values typed into text boxes in their cells
    split_tables: bool = False  # sections 一 to 三 each split into two tables at a page break
    tracked: bool = False  # typed values as tracked insertions
    fragment_runs: bool = False  # text split over many runs, as Word saves edited text
    photo_label: bool = False  # the printed "照片" kept above the picture
    none_awards: str = "name"  # where 无相关奖励 goes: "name", "date" or "merged" (whole row)
    indent: bool = False  # paragraphs of long texts start with "　　", blank lines between
