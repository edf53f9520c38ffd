"""The tables of sections 一 to 十一, in logical columns; the writer regrids and places them."""

from __future__ import annotations

from extractors.text import compact

from . import template as T
from .styles import DeleteOthers
from .wordml import C, P, Run, TableSpec, place, regrid, text_paras

# Section 一 in logical columns: vertical label, label, value, label, value, label, value.
BASIC_UNITS = [1, 2, 3, 2, 3, 1, 2]


def section_tables(w) -> dict[int, TableSpec]:
    tables = {
        1: basic_info(w), 2: study(w), 3: work(w), 4: achievements(w), 5: results(w),
        6: organizations(w), 7: ip(w), 8: awards(w),
        9: single_cell([T.PLEDGE, "", ""] + T.PLEDGE_SIGN),
        10: single_cell([T.EMPLOYER_OPINION, ""] + T.EMPLOYER_SIGN),
        11: single_cell(T.RECOMMENDER_SIGN),
    }
    if w.style.grid_units:
        regrid(tables[1], BASIC_UNITS)
        for number in range(2, 9):
            regrid(tables[number], _alternating(tables[number]))
    return tables


def _alternating(spec: TableSpec) -> list[int]:
    _, width = place(spec)
    return [1 + (i % 2) for i in range(width)]


def single_cell(lines: list[str]) -> TableSpec:
    return TableSpec([[C([P([Run(line)]) if line else P() for line in lines])]])


# --- 一、基本信息 ------------------------------------------------------------------------


def field_value(w, key: str, label: str) -> list[P]:
    """How section 一 writes the value of one field (dates and numbers per the style)."""
    numbers = w.style.numbers
    writers = {
        "birth_date": lambda d: w.style.dates.write_birth(d, w.variant),
        "id_number": numbers.id_number, "mobile": numbers.mobile,
        "office_phone": numbers.office, "postcode": numbers.postcode,
    }
    text = getattr(w.person, key)
    if text and key in writers:
        text = writers[key](text)
    wrap = key in ("employer_and_position", "address")
    return w.value(text, wrap=wrap, tag=compact(label))


def pair(w, label: str, key: str, span: int = 1) -> list[C]:
    """A label cell and its value cell, or one "标签：值" cell for combined fields."""
    values = field_value(w, key, label)
    if key in w.style.combined:
        first = P([Run(compact(label) + "：")] + values[0].pieces)
        return [C([first] + values[1:], colspan=span + 1)]
    return [w.label(label), C(values, colspan=span)]


def vertical_label(w, text: str, rows: int, first: bool) -> list[C]:
    """The 候选人 / 领域 column: one merged cell, or a cell per row with the text on top."""
    if w.style.vertical_merge:
        if not first:
            return []
        if w.style.grid_units:
            return [C([P([Run(text.replace("\n", ""))])], rowspan=rows, vertical=True)]
        return [C(text_paras(text), rowspan=rows)]
    return [C(text_paras(text) if first else [P()])]


def below_label(w) -> list[C]:
    """The vertical-label column in a row below the label's first row."""
    return vertical_label(w, "", 0, first=False)


def basic_info(w) -> TableSpec:
    p = w.person
    candidate_rows = len(T.BASIC_ROWS) + 3
    rows = []
    for i, (l1, f1, l2, f2) in enumerate(T.BASIC_ROWS):
        row = vertical_label(w, T.CANDIDATE_LABEL, candidate_rows, first=i == 0)
        row += pair(w, l1, f1) + pair(w, l2, f2, span=1 if i < T.PHOTO_ROWS else 3)
        if i == 0:
            row.append(C(w.photo_paras(), colspan=2, rowspan=T.PHOTO_ROWS))
        rows.append(row)
    nature = w.choice(T.NATURE_LINES, p.employer_nature, "multi")
    rows.append(below_label(w) + [w.label(T.NATURE_LABEL), C(nature, colspan=5)])
    contact = [cell for label, key in T.CONTACT_ROW for cell in pair(w, label, key)]
    rows.append(below_label(w) + contact)
    l1, f1, l2, f2 = T.ADDRESS_ROW
    rows.append(below_label(w) + pair(w, l1, f1) + pair(w, l2, f2, span=3))
    rows += domain_rows(w)
    rows.append([C([P([Run(w.style.label(T.CLASSIFIED_LABEL))])], colspan=2),
                 C(w.choice(T.YES_NO_LINES, "是" if p.classified else "否", "binary"), colspan=5)])
    return TableSpec(rows)


def domain_rows(w) -> list[list[C]]:
    p = w.person
    marks = w.style.marks
    rows = []
    for i, domain in enumerate(T.DOMAINS):
        chosen = domain == p.domain
        row = vertical_label(w, T.DOMAIN_LABEL, len(T.DOMAINS), first=i == 0)
        if marks.marks_labels:
            label = C([P(marks.option(domain, chosen, "label"))])
        else:
            label = C([P([Run(domain)])])
        row.append(label)
        row.append(C(subfield_paras(w, domain, chosen), colspan=5))
        rows.append(row)
    return rows


def subfield_paras(w, domain: str, chosen: bool) -> list[P]:
    p = w.person
    lines = T.SUBFIELD_LINES[domain]
    if not chosen:
        if isinstance(w.style.marks, DeleteOthers) and not w.style.marks.tracked:
            return [P()]  # options deleted: nothing left in the unchosen rows
        return w.choice(lines, "", "sub")
    if p.subdomain_is_other:
        return w.choice(lines, T.OTHER, "sub", other=p.subdomain)
    return w.choice(lines, p.subdomain, "sub")


# --- 二、三、六 periods and rows ----------------------------------------------------------


def row_count(w, filled: int, template_rows: int) -> int:
    if w.style.exact_rows:
        return max(filled, 1)
    return max(filled, template_rows)


def period_cells(w, start: str | None, end: str | None, n: int) -> list[C]:
    if start is None:
        return [C(), C()] if w.style.split_period else [C()]
    if w.style.split_period:
        first, last = w.style.dates.write_bounds(start, end)
        return [C([P(w.typed(first))]), C([P(w.typed(last))])]
    return [C([P(w.typed(w.style.dates.write_period(start, end, n)))])]


def history_table(w, header: list[str], rows: list[tuple], template_rows: int) -> TableSpec:
    """A period-led table (二, 三, 六): rows of (start, end, value, value, ...)."""
    head = [w.label(h) for h in header]
    if w.style.split_period:
        head[0].colspan = 2
    body = []
    width = len(header) - 1
    for n in range(row_count(w, len(rows), template_rows)):
        if n < len(rows):
            start, end, *values = rows[n]
            body.append(period_cells(w, start, end, n + w.variant)
                        + [C(w.value(v, wrap=i == 0)) for i, v in enumerate(values)])
        else:
            body.append(period_cells(w, None, None, n) + [C() for _ in range(width)])
    return TableSpec([head] + body)


def study(w) -> TableSpec:
    rows = [(r.start, r.end, r.school, r.major, r.degree) for r in w.person.study]
    return history_table(w, T.STUDY_HEADER, rows, T.HISTORY_ROWS)


def work(w) -> TableSpec:
    rows = [(r.start, r.end, r.employer, r.position) for r in w.person.work]
    return history_table(w, T.WORK_HEADER, rows, T.HISTORY_ROWS)


def organizations(w) -> TableSpec:
    rows = [(r.start, r.end, r.organization, r.role) for r in w.person.organizations]
    return history_table(w, T.ORG_HEADER, rows, T.LIST_ROWS)


# --- 四、成就和贡献 ------------------------------------------------------------------------


def achievements(w) -> TableSpec:
    paras = [P([Run(T.ACHIEVEMENT_INSTRUCTION)])] if w.style.keep_instruction else []
    paras += w.long_text("\n".join(w.person.achievements))
    if w.style.controls:
        for para in paras[1 if w.style.keep_instruction else 0:]:
            para.controlled = True
    return TableSpec([[C(paras)]])


# --- 五、代表性成果 ------------------------------------------------------------------------


def category_paras(w, category: str) -> list[P]:
    """A category as written: in the template's two lines when it is a printed one."""
    for _, printed in T.RESULT_TEMPLATE_ROWS:
        if compact(printed) == category:
            return [P(w.typed(line)) for line in printed.split("\n")]
    return [P(w.typed(category))]


def result_row(w, r) -> list[C]:
    return [C([P(w.typed(r.seq))]), C(category_paras(w, r.category)), C(w.value(r.name)),
            C(w.value(r.role)), C(w.long_text(r.impact)), C(w.long_text(r.contribution)),
            C(w.value(r.remark))]


def printed_result_row(seq: str, category: str) -> list[C]:
    return [C(text_paras(seq)), C(text_paras(category))] + [C() for _ in range(5)]


def results(w) -> TableSpec:
    head = [w.label(h) for h in T.RESULT_HEADER]
    filled = {r.seq: r for r in w.person.results}
    if w.style.exact_rows and filled:
        return TableSpec([head] + [result_row(w, r) for r in w.person.results])
    body = []
    for seq, printed in T.RESULT_TEMPLATE_ROWS:
        body.append(result_row(w, filled[seq]) if seq in filled else printed_result_row(seq, printed))
    extra = [r for r in w.person.results if int(r.seq) > len(T.RESULT_TEMPLATE_ROWS)]
    body += [result_row(w, r) for r in extra]
    if not extra:
        body.append(printed_result_row("", T.RESULT_ELLIPSIS))
    return TableSpec([head] + body)


# --- 七、知识产权 and 八、奖项 ----------------------------------------------------------------


def list_table(w, header: list[str], rows: list[list[list[P]]], template_rows: int) -> TableSpec:
    body = [[C(paras) for paras in row] for row in rows]
    for _ in range(row_count(w, len(rows), template_rows) - len(rows)):
        body.append([C() for _ in header])
    return TableSpec([[w.label(h) for h in header]] + body)


def ip(w) -> TableSpec:
    rows = [[w.value(r.seq), w.value(r.name, wrap=True), w.value(r.year), w.value(r.rank),
             w.long_text(r.implementation), w.long_text(r.contribution)] for r in w.person.ip]
    return list_table(w, T.IP_HEADER, rows, T.LIST_ROWS)


def awards(w) -> TableSpec:
    p = w.person
    if p.awards_none_declared:
        return none_declared(w)
    rows = [[w.value(r.seq), w.value(r.date), w.value(r.name, wrap=True), w.value(r.level_rank),
             w.long_text(r.contribution)] for r in p.awards]
    return list_table(w, T.AWARD_HEADER, rows, T.LIST_ROWS)


def none_declared(w) -> TableSpec:
    """Section 八 with 无相关奖励 in its first row, where the style puts it."""
    width = len(T.AWARD_HEADER)
    words = [P(w.typed(T.NONE_AWARDS))]
    if w.style.none_awards == "merged":
        first = [C(words, colspan=width)]
    else:
        column = 1 if w.style.none_awards == "date" else 2
        first = [C(words) if i == column else C() for i in range(width)]
    empty = 0 if w.style.exact_rows else T.LIST_ROWS - 1
    blank = [[C() for _ in range(width)] for _ in range(empty)]
    return TableSpec([[w.label(h) for h in T.AWARD_HEADER], first] + blank)
