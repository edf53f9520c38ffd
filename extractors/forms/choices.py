"""Which options of a form's choice cell the person chose.

People pick an option in every way Word allows: a ticked box before it (☑ ■ ☒), a
tick after it ("是（√）", "无√"), highlighting, or by deleting the options they did not
choose. ``read_choice`` reads all of them from the cell's segments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.document import Segment

CHECKED_MARKS = "☑☒■√✓✔▣◉●⊠✅"
UNCHECKED_MARKS = "☐□○〇◯"
_MAX_MARK_DISTANCE = 4  # characters between a tick and the option it belongs to
OTHER = "其他"


@dataclass
class Choice:
    chosen: list[str] = field(default_factory=list)
    other_text: str | None = None  # what was written after 其他
    present: list[str] = field(default_factory=list)  # options still in the cell

    @property
    def single(self) -> str | None:
        return self.chosen[0] if len(self.chosen) == 1 else None


def _locate(text: str, options: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Where each option stands in the text, longest options first so none overlap."""
    spans: dict[str, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    for option in sorted(options, key=len, reverse=True):
        pattern = r"\s*".join(map(re.escape, option))
        for match in re.finditer(pattern, text):
            start, end = match.span()
            if all(end <= a or start >= b for a, b in taken):
                spans[option] = (start, end)
                taken.append((start, end))
                break
    return spans


def _highlighted(segments: Sequence[Segment], spans: dict[str, tuple[int, int]]) -> list[str]:
    marked_chars: set[int] = set()
    offset = 0
    for segment in segments:
        if segment.marked and segment.text.strip():
            marked_chars.update(range(offset, offset + len(segment.text)))
        offset += len(segment.text)
    return [opt for opt, (a, b) in spans.items() if marked_chars & set(range(a, b))]


def _distance(mark: int, span: tuple[int, int], text: str) -> tuple[int, int] | None:
    """Characters between a tick and an option; ties go to the option after the tick."""
    start, end = span
    if mark < start:
        between, after_tick = text[mark + 1 : start], 0
    else:
        between, after_tick = text[end:mark], 1
    if any(ch in CHECKED_MARKS or ch in UNCHECKED_MARKS for ch in between):
        return None
    if len(between) > _MAX_MARK_DISTANCE:
        return None
    return (len(between), after_tick)


def _ticked(text: str, spans: dict[str, tuple[int, int]]) -> list[str]:
    chosen: list[str] = []
    for index, ch in enumerate(text):
        if ch not in CHECKED_MARKS:
            continue
        scored = [(d, opt) for opt, span in spans.items() if (d := _distance(index, span, text))]
        if scored:
            option = min(scored)[1]
            if option not in chosen:
                chosen.append(option)
    return sorted(chosen, key=lambda opt: spans[opt][0])


def _other_text(text: str, spans: dict[str, tuple[int, int]]) -> str | None:
    if OTHER not in spans:
        return None
    after = text[spans[OTHER][1] :]
    after = re.sub(f"[{CHECKED_MARKS}{UNCHECKED_MARKS}:：()（）_＿\\s]", "", after)
    return after or None


def read_choice(segments: Sequence[Segment], options: Sequence[str]) -> Choice:
    """The options chosen in a cell.

    >>> read_choice([Segment("☑是 ☐否")], ["是", "否"]).chosen
    ['是']
    >>> read_choice([Segment("机密（ ）秘密（ ）无（√）")], ["机密", "秘密", "无"]).chosen
    ['无']
    >>> read_choice([Segment("否")], ["是", "否"]).chosen
    ['否']
    >>> read_choice([Segment("是 否")], ["是", "否"]).chosen
    []
    """
    text = "".join(s.text for s in segments)
    spans = _locate(text, options)
    present = sorted(spans, key=lambda opt: spans[opt][0])
    chosen = _highlighted(segments, spans) or _ticked(text, spans)
    if not chosen and len(options) > 1:
        chosen = _chosen_by_deletion(text, spans, options)
    other = _other_text(text, spans) if OTHER in chosen else None
    return Choice(chosen=chosen, other_text=other, present=present)


def _chosen_by_deletion(
    text: str, spans: dict[str, tuple[int, int]], options: Sequence[str]
) -> list[str]:
    """No tick anywhere: one option left standing, or text written after 其他, is the choice."""
    if any(ch in UNCHECKED_MARKS for ch in text):
        return []
    if len(spans) == 1:
        return list(spans)
    if OTHER in spans and _other_text(text, spans):
        return [OTHER]
    return []


def strip_marks(text: str) -> str:
    """The text of a cell without tick or box characters."""
    return re.sub(f"[{CHECKED_MARKS}{UNCHECKED_MARKS}]", "", text)
