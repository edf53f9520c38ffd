"""What a file is from the text of its pages, with its name and folder as support.

``pipeline.intake.linking`` gives a first kind from names. Here every page's text (text layer
or OCR, ``page_texts[0]`` is page 1) is read for the signs of each kind: titles such as
居民身份证 or 学位证书, phrases such as 准予毕业 or 现予公示, and patterns such as an
18-digit ID number or a DOI. Adjacent pages of the same kind form one document; a PDF
of several scanned copies gives several documents with their page ranges.

Priority, so that a document that merely mentions another is not taken for it:

- The words of the proofs of Attachment 2 items 3-6 (成果证明, 效益证明, 评价报告, 论文)
  are the checklist's table (``pipeline.model.checklist.PROOF_WORDS``), with their names.
- A document title (荣誉证书, 学位证书, 应用证明, 个人简介, …) in a page's heading (its
  first ``HEADING_CHARS`` characters) counts double: certificates are short pages under
  a title. Field labels (专利号, 资格名称) count once wherever they stand.
- A certificate kind counts half on a page with neither its title in the heading nor
  one of its formulas or fields (特发此证, 签发机关, 准予毕业, 资格名称, 专利号).
- On a page of running text (a bio, a notice, a report: long, with sentence
  punctuation) the signs of certificate kinds count a quarter unless they are in the
  heading: a bio that says 毕业证书 or 荣获…奖 stays a bio.
- A page whose best score reaches ``DECISIVE`` is judged by its text alone; a weaker
  page is judged by its text only when the file name names the same kind, else it
  continues the document before it (the first pages: the one after).
- A file with no decisive page takes its kinds from the name (``kinds_by_name``), else
  from the weak signs of all its pages, else it is ``other``.
- The file's ``kind`` is the kind its name names among its documents, else the kind
  covering the most pages, the earliest on a tie (``other`` only when alone).
- Pages of the application form or the summary table (a signed scan) are recognised,
  so that they are not taken for what they list, and given as ``other``: those two
  kinds belong to the Word and Excel files read as such.

Scanner apps (扫描全能王/CamScanner, 夸克扫描王, Adobe Scan, …) print a watermark at each
page's foot: its lines are dropped before a page is judged (``without_watermark``), so
that whatever the watermark says never decides a kind.

OCR noise: whitespace is removed before matching, and a title or strong keyword of four
or more characters also matches with one wrong character (unless the window is itself
another keyword: 学历证书 is not a misread 学位证书). Weak words match exactly only, so
that 学位评定委员会 is not a misread 评价委员会.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from extractors.text import compact
from pipeline.intake.kinds import PACKAGE_KINDS, kinds_by_name
from pipeline.model.checklist import PROOF_WORDS, ProofWords
from pipeline.model.models import DocumentItem

HEADING_CHARS = 40
DECISIVE = 3.0
FUZZY_MIN = 4  # keywords this long match with one wrong character,
FUZZY_WEIGHT = 3.0  # when they are titles or weigh this much: weak words must be exact
UNANCHORED = 0.5  # a certificate kind only mentioned: no title in the heading, no formula
RUNNING_TEXT_CHARS = 180
RUNNING_TEXT_MARKS = 6
SENTENCE_MARKS = re.compile(r"[，。；、,;]")
CERTIFICATE_KINDS = frozenset({"id_copy", "diploma_copy", "degree_copy", "title_cert",
                               "award_cert", "ip_cert"})
# Tie-break between equal scores: the more specific kind first.
PRIORITY = ("application_form", "summary_table", "public_notice", "evaluation_report",
            "benefit_proof", "achievement_proof", "paper", "id_copy", "degree_copy",
            "diploma_copy", "title_cert", "ip_cert", "award_cert", "bio")
# An 18-digit resident ID number with a plausible birth date; X may be lower case.
ID_NUMBER = re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                       r"\d{3}[0-9Xx](?![0-9])")
# GB/T 39999-2021, JB/T 1234-2015, T/CMES 001-2020
STANDARD_NUMBER = (r"(GB|JB|DB\d{0,2}|HG|JT|YB|NB|DL|SJ|QC|T/[A-Z]{2,8})(/[TZ])?"
                   r"\d{2,6}(\.\d+)?[-—–]\d{4}")


@dataclass(frozen=True)
class Sign:
    """A word (fuzzy when long) or a regular expression that speaks for a kind.

    A ``title`` is what a document is headed with (荣誉证书, 应用证明): it counts double
    in the heading. A field label such as 专利号 does not, though it may stand there.
    An ``anchor`` is a certificate's own formula or field (特发此证, 签发机关, 资格名称):
    a certificate kind with neither an anchor nor its title in the heading is only
    mentioned (a short bio that says 荣获…二等奖), and its score is halved.
    """

    kind: str
    pattern: str
    weight: float
    regex: bool = False
    title: bool = False
    anchor: bool = False
    heading_only: bool = False


def _titles(kind: str, *pairs: tuple[str, float]) -> list[Sign]:
    return [Sign(kind, word, weight, title=True) for word, weight in pairs]


def _words(kind: str, *pairs: tuple[str, float]) -> list[Sign]:
    return [Sign(kind, word, weight) for word, weight in pairs]


def _formulas(kind: str, *pairs: tuple[str, float]) -> list[Sign]:
    return [Sign(kind, word, weight, anchor=True) for word, weight in pairs]


def _patterns(kind: str, *pairs: tuple[str, float], title: bool = False,
              anchor: bool = False) -> list[Sign]:
    return [Sign(kind, pattern, weight, regex=True, title=title, anchor=anchor)
            for pattern, weight in pairs]


def _proof_signs(kind: str, proof: ProofWords) -> list[Sign]:
    """The signs of a proof of items 3-6, from the checklist's table (PROOF_WORDS)."""
    return [*_titles(kind, *proof.titles), *_words(kind, *proof.words),
            *_patterns(kind, *proof.patterns)]


SIGNS: tuple[Sign, ...] = tuple([
    *_titles("id_copy", ("居民身份证", 4), ("来往内地通行证", 4), ("居民居住证", 4)),
    *_formulas("id_copy", ("公民身份号码", 4), ("签发机关", 3)),
    *_words("id_copy", ("有效期限", 1.5), ("住址", 0.5)),
    *_patterns("id_copy", (r"性别[男女]民族", 2), anchor=True),
    *_patterns("id_copy", (ID_NUMBER.pattern, 2)),
    *_titles("diploma_copy", ("毕业证书", 4), ("学历证书", 3)),
    *_formulas("diploma_copy", ("准予毕业", 3), ("修业期满", 2)),
    *_patterns("diploma_copy", (r"修完.{0,20}课程", 2), anchor=True),
    *_patterns("diploma_copy", (r"学制.{0,3}年", 1.5)),
    *_titles("degree_copy", ("学位证书", 4)),
    *_formulas("degree_copy", ("学位评定委员会", 3)),
    *_patterns("degree_copy", (r"授予.{0,15}?学位", 3), anchor=True),
    *_patterns("degree_copy", (r"(学士|硕士|博士)学位", 1.5)),
    *_titles("title_cert", ("专业技术职务任职资格", 4), ("职称证书", 4), ("专业技术资格", 3),
             ("资格证书", 2)),
    *_formulas("title_cert", ("资格名称", 3), ("评审通过", 3)),
    *_words("title_cert", ("任职资格", 2), ("职称", 1), ("评审委员会", 1.5)),
    *_patterns("title_cert", (r"取得.{0,10}资格", 1.5), (r"(正高级|高级)?工程师", 1)),
    *_titles("award_cert", ("荣誉证书", 4), ("获奖证书", 4), ("奖励证书", 4), ("奖状", 4)),
    *_formulas("award_cert", ("特发此证", 3), ("特发此状", 3), ("以资鼓励", 3)),
    *_words("award_cert", ("荣获", 2), ("为表彰", 2)),
    *_patterns("award_cert", (r"[特一二三]等奖", 2), (r"奖.{0,20}证书|证书.{0,20}奖", 1.5),
               (r"科(学技术|技)进步奖|技术发明奖", 2)),
    *_titles("ip_cert", ("发明专利证书", 5), ("实用新型专利证书", 5), ("计算机软件著作权登记证书", 5),
             ("专利证书", 4)),
    *_formulas("ip_cert", ("专利号", 3), ("授权公告日", 3), ("专利权人", 2), ("发明名称", 2),
               ("著作权人", 2), ("标准编号", 3)),
    *_words("ip_cert", ("著作权登记", 3), ("实用新型", 2), ("国家知识产权局", 2)),
    *_patterns("ip_cert", (r"\d{4}SR\d{5,7}", 3), (STANDARD_NUMBER, 3), anchor=True),
    *_patterns("ip_cert", (r"ZL\d{8,12}", 3)),
    *_patterns("ip_cert", (r"(国家|行业|地方|团体|企业)标准", 2), title=True),
    *(sign for kind, proof in PROOF_WORDS.items() for sign in _proof_signs(kind, proof)),
    *_titles("public_notice", ("公示", 3)),
    *_words("public_notice", ("现予公示", 4), ("予以公示", 4), ("公示期", 3), ("公示时间", 3),
            ("公示如下", 3), ("如有异议", 2), ("监督电话", 1.5)),
    *_titles("bio", ("个人简介", 5), ("个人简历", 4)),
    *_words("bio", ("毕业于", 1.5), ("参加工作", 1)),
    *_patterns("bio", (r"(?<!作者)(?<!公司)(?<!企业)(?<!项目)(?<!单位)(?<!产品)简介", 2), title=True),
    *_patterns("bio", (r"[男女][，,、](汉|回|苗|壮|侗|瑶|满|白|土家|蒙古|.{1,3})族", 2),
               (r"(出生|生)[，,]", 1), (r"现任|担任", 1)),
    Sign("application_form", "候选人申报表", 4, title=True, heading_only=True),
    *_words("application_form", ("人选姓名", 3), ("重要奖项情况", 5), ("重要知识产权及标准情况", 5),
            ("代表性工程技术成果", 5), ("重要组织任职情况", 5), ("学习经历", 1.5), ("工作经历", 1.5)),
    *_titles("summary_table", ("申报汇总表", 4)),
    *_words("summary_table", ("工作单位及职务职级", 2)),
])
KEYWORDS = frozenset(s.pattern for s in SIGNS if not s.regex)
_COMPILED = {s.pattern: re.compile(s.pattern) for s in SIGNS if s.regex}


@dataclass
class Classification:
    kind: str
    items: list[DocumentItem] = field(default_factory=list)  # empty: one document, the whole file
    confidence: float = 0.0  # 0..1
    reasons: list[str] = field(default_factory=list)  # Chinese, for staff and debugging
    form_pages: int = 0  # pages that read as the application form (a scan of Attachment 1)
    summary_pages: int = 0  # pages that read as the summary table (a stamped scan of Attachment 3)


@dataclass
class PageVerdict:
    kind: str | None  # the best kind by content, None without any sign
    score: float
    signs: list[str]
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def decisive(self) -> bool:
        return self.kind is not None and self.score >= DECISIVE


# --- fuzzy keyword search ---------------------------------------------------------------


def find_word(word: str, text: str, avoid: Collection[str] = ()) -> tuple[int, bool] | None:
    """Where ``word`` is in ``text`` and whether exactly; long words allow one wrong character.

    A window that is itself one of ``avoid`` is not a misread ``word``.

    >>> find_word("居民身份证", "中华人民共和国居民身份正")
    (7, False)
    >>> find_word("学位证书", "学历证书", avoid={"学历证书"}) is None
    True
    """
    at = text.find(word)
    if at >= 0:
        return at, True
    if len(word) < FUZZY_MIN:
        return None
    at = _find_one_off(word, text, avoid)
    return (at, False) if at >= 0 else None


def _find_one_off(word: str, text: str, avoid: Collection[str]) -> int:
    """With one wrong character, one half of the word is still exact: look from each half."""
    half = len(word) // 2
    for part, offset in ((word[:half], 0), (word[half:], half)):
        start = text.find(part)
        while start >= 0:
            begin = start - offset
            window = text[begin:begin + len(word)] if begin >= 0 else ""
            if len(window) == len(word) and _one_off(window, word) and window not in avoid:
                return begin
            start = text.find(part, start + 1)
    return -1


def _one_off(window: str, word: str) -> bool:
    return sum(a != b for a, b in zip(window, word)) <= 1


# --- one page ---------------------------------------------------------------------------


# A line of a scanner app's watermark, as OCR reads it (CS 扫描全能王 3亿人都在用的扫描App).
WATERMARK = re.compile(r"扫描全能王|全能扫描王|CamScanner|Cam\s*Scanner|夸克扫描王|扫描王|Scanned\s+with|"
                       r"Adobe\s*Scan|Office\s*Lens|WPS\s*扫描|百度网盘扫描|扫描App|扫描APP", re.I)


def without_watermark(text: str) -> str:
    """The page's text without the lines of a scanner app's watermark.

    >>> without_watermark("专业技术资格证书\\n姓名：张三\\nCS 扫描全能王 3亿人都在用的扫描App")
    '专业技术资格证书\\n姓名：张三'
    """
    return "\n".join(line for line in text.splitlines() if not WATERMARK.search(line))


def judge_page(text: str) -> PageVerdict:
    """The kind a page's text speaks for, with its score and the signs seen."""
    flat = compact(without_watermark(text))
    if not flat:
        return PageVerdict(None, 0.0, [])
    running = is_running_text(flat)
    scores: dict[str, float] = {}
    seen: dict[str, list[str]] = {}
    anchored: set[str] = set()
    for sign in SIGNS:
        found = _locate(sign, flat)
        weight = _sign_weight(sign, found, running) if found else 0.0
        if found and weight:
            scores[sign.kind] = scores.get(sign.kind, 0.0) + weight
            seen.setdefault(sign.kind, []).append(_sign_label(sign, found[2]))
            if sign.anchor or (sign.title and found[0] < HEADING_CHARS):
                anchored.add(sign.kind)
    for kind in (CERTIFICATE_KINDS & scores.keys()) - anchored:
        scores[kind] *= UNANCHORED
    if not scores:
        return PageVerdict(None, 0.0, [])
    kind = max(scores, key=lambda k: (scores[k], -PRIORITY.index(k)))
    return PageVerdict(kind, round(scores[kind], 2), seen[kind], scores)


def is_running_text(flat: str) -> bool:
    """Long text in sentences (a bio, a notice, a report), not a certificate's few lines."""
    marks = len(SENTENCE_MARKS.findall(flat))
    return len(flat) >= RUNNING_TEXT_CHARS and marks >= RUNNING_TEXT_MARKS


def _sign_weight(sign: Sign, found: tuple[int, bool, str], running: bool) -> float:
    at, exact, _ = found
    in_heading = at < HEADING_CHARS
    if sign.heading_only and not in_heading:
        return 0.0
    weight = sign.weight * (1.0 if exact else 0.8)
    if in_heading:
        return weight * 2 if sign.title else weight
    if running and sign.kind in CERTIFICATE_KINDS:
        return weight * 0.25
    return weight


def _locate(sign: Sign, flat: str) -> tuple[int, bool, str] | None:
    """Where the sign is, whether exactly, and the text that matched."""
    if sign.regex:
        match = _COMPILED[sign.pattern].search(flat)
        return (match.start(), True, match.group(0)) if match else None
    if sign.title or sign.weight >= FUZZY_WEIGHT:
        found = find_word(sign.pattern, flat, KEYWORDS)
    else:
        at = flat.find(sign.pattern)
        found = (at, True) if at >= 0 else None
    if found is None:
        return None
    at, exact = found
    return at, exact, flat[at:at + len(sign.pattern)]


def _sign_label(sign: Sign, matched: str) -> str:
    """What staff read in a reason: the word, or the text a pattern matched (no ID numbers)."""
    if sign.pattern == ID_NUMBER.pattern:
        return "身份证号码"
    if sign.regex:
        return matched[:16]
    return sign.pattern if matched == sign.pattern else f"{sign.pattern}（识别为{matched}）"


# --- the file ---------------------------------------------------------------------------


def classify_pages(page_texts: list[str], file_name: str, folder: str = "") -> Classification:
    """A file's kind and documents from its pages' text, its name and folder as support."""
    name_kinds = kinds_by_name(f"{folder}/{file_name}" if folder else file_name)
    verdicts = [judge_page(text) for text in page_texts]
    reasons = [_verdict_reason(n, v) for n, v in enumerate(verdicts, start=1) if v.kind]
    page_kinds = [_page_kind(v, name_kinds) for v in verdicts]
    form_pages = sum(v.decisive and v.kind == "application_form" for v in verdicts)
    summary_pages = sum(v.decisive and v.kind == "summary_table" for v in verdicts)
    if not any(page_kinds):
        has_text = any(compact(text) for text in page_texts)
        result = _without_content(verdicts, name_kinds, file_name, has_text, reasons)
        result.form_pages, result.summary_pages = form_pages, summary_pages
        return result
    kinds = _fill_gaps(page_kinds)
    items = document_items(kinds)
    main = main_kind(items, name_kinds)
    if name_kinds and main not in name_kinds:
        reasons.append(f"文件名指向{'、'.join(name_kinds)}，按内容判为{main}")
    confidence = _mean(_page_confidence(v, k, p, name_kinds)
                       for v, k, p in zip(verdicts, kinds, page_kinds))
    return Classification(main, items if len(items) > 1 else [], round(confidence, 2),
                          reasons, form_pages, summary_pages)


def _page_kind(verdict: PageVerdict, name_kinds: list[str]) -> str | None:
    """Decisive text decides; weak text only when the name says the same."""
    if verdict.kind is not None and (verdict.decisive or verdict.kind in name_kinds):
        return attachment_kind(verdict.kind)
    return None


def attachment_kind(kind: str) -> str:
    """A scan of the form or the summary table is ``other``: those kinds are kept for the
    Word and Excel files that were read as such (a scan must not hide FORM_NOT_WORD)."""
    return "other" if kind in PACKAGE_KINDS else kind


def _fill_gaps(page_kinds: list[str | None]) -> list[str]:
    """A page without its own kind continues the document before it (the first: after)."""
    first = next(k for k in page_kinds if k)
    kinds: list[str] = []
    for kind in page_kinds:
        kinds.append(kind or (kinds[-1] if kinds else first))
    return kinds


def document_items(kinds: list[str]) -> list[DocumentItem]:
    """Runs of pages of one kind, as documents with their page ranges.

    >>> document_items(["id_copy", "id_copy", "diploma_copy"])
    [DocumentItem(kind='id_copy', pages='1-2'), DocumentItem(kind='diploma_copy', pages='3')]
    """
    items: list[DocumentItem] = []
    start = 1
    for number, kind in enumerate(kinds, start=1):
        if number == len(kinds) or kinds[number] != kind:
            items.append(DocumentItem(kind, page_range(start, number)))
            start = number + 1
    return items


def page_range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def main_kind(items: list[DocumentItem], name_kinds: list[str]) -> str:
    """The kind the name names among the documents, else the one with the most pages
    (the earliest on a tie); ``other`` only when nothing else is there."""
    kinds = [item.kind for item in items]
    for kind in name_kinds:
        if kind in kinds:
            return kind
    pages: dict[str, int] = {}
    for item in items:
        if item.kind != "other" or set(kinds) == {"other"}:
            pages[item.kind] = pages.get(item.kind, 0) + page_count(item.pages)
    return max(pages, key=lambda k: (pages[k], -kinds.index(k)))


def page_count(pages: str | None) -> int:
    if not pages:
        return 1
    first, _, last = pages.partition("-")
    return int(last or first) - int(first) + 1


def _without_content(verdicts: list[PageVerdict], name_kinds: list[str], file_name: str,
                     has_text: bool, reasons: list[str]) -> Classification:
    """No decisive page: the name's kinds, else the weak signs of all pages, else other."""
    if name_kinds:
        why = "正文无明确特征" if has_text else "无文字内容"
        reasons.append(f"{why}，按文件名“{file_name}”判为{'、'.join(name_kinds)}")
        items = [DocumentItem(kind) for kind in name_kinds] if len(name_kinds) > 1 else []
        return Classification(name_kinds[0], items, 0.4, reasons)
    totals: dict[str, float] = {}
    for verdict in verdicts:
        for kind, score in verdict.scores.items():
            totals[kind] = totals.get(kind, 0.0) + score
    if totals:
        best = max(totals, key=lambda k: (totals[k], -PRIORITY.index(k)))
        kind = attachment_kind(best)
        reasons.append(f"正文特征较弱，文件名无提示，暂判为{kind}")
        return Classification(kind, [], round(min(0.35, 0.1 + 0.05 * totals[best]), 2), reasons)
    why = "正文无可识别特征" if has_text else "无文字内容"
    reasons.append(f"{why}，文件名“{file_name}”也无提示，判为other")
    return Classification("other", [], 0.0, reasons)


def _page_confidence(verdict: PageVerdict, kind: str, own_kind: str | None,
                     name_kinds: list[str]) -> float:
    if own_kind is None:
        return 0.3  # continues its neighbour
    confidence = min(0.95, 0.55 + 0.05 * verdict.score) if verdict.decisive else 0.6
    if name_kinds:
        confidence += 0.1 if kind in name_kinds else -0.1
    return max(0.0, min(1.0, confidence))


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _verdict_reason(number: int, verdict: PageVerdict) -> str:
    strength = "" if verdict.decisive else "（较弱）"
    scan = "，扫描件记为other" if verdict.kind in PACKAGE_KINDS else ""
    return (f"第{number}页：{'、'.join(verdict.signs)} → {verdict.kind}"
            f"（{verdict.score:g}分）{strength}{scan}")
