"""Which recommending unit (推荐单位) every package belongs to, one name per unit.

A unit names itself on its forms' covers and its summary table; people spell it
differently (衡阳市机械工程学会, 市机械工程学会, 衡阳市机械工程学会（盖章）, 南华大学科学
技术协会 for 南华大学科协). Those spellings are one unit, shown under the name it used most.

A package without a form or summary table (a 公示 alone, a supplement, a resent archive)
belongs to the unit whose packages came from the same sender address; else to the unit
whose name stands in its subject, body, sender's display name or file names (南华大学科协
李晓燕 → 南华大学科协); else to a unit-like name found there; else it keeps the sender.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from email.utils import parseaddr

from extractors.text import compact
from pipeline.model.catalog import Finding
from pipeline.model.models import Package

TRAILING_NOTE = re.compile(r"[（(][^（()）]*[）)]$")  # （盖章）
OFFICE_SUFFIX = re.compile(r"(秘书处|办公室|办公厅|学术部|组织部)$")
CITY_PREFIX = re.compile(r"^(衡阳市|衡阳|市)")
# A unit's name inside free text: the shortest run of characters before 科协, 学会, ...
UNIT_IN_TEXT = re.compile(r"[\u4e00-\u9fff]{2,18}?(?:科学技术协会|科协|学会|协会|联合会)")
TEXT_NOISE = re.compile(r"^(关于|报送|推荐|提交|转发|补充|补报|补发|更正|重新|重发|来自|发件人|我会|我单位|"
                        r"各|致|附件|申报|材料)+")
MIN_KEY = 4  # a unit's name shorter than this is not looked for in free text


def unit_key(name: str | None) -> str:
    """One spelling for the spellings of one unit.

    >>> unit_key("衡阳市机械工程学会（盖章）") == unit_key("市机械工程学会") == unit_key("机械工程学会")
    True
    >>> unit_key("南华大学科学技术协会") == unit_key("南华大学科协"), unit_key("衡南县科协") == unit_key("衡阳市科协")
    (True, False)
    """
    text = compact(name)
    while TRAILING_NOTE.search(text):
        text = TRAILING_NOTE.sub("", text)
    text = re.sub(r"[，,、:：;；\"'“”《》.。·]", "", text)
    text = text.replace("科学技术协会", "科协")
    text = OFFICE_SUFFIX.sub("", text)
    return CITY_PREFIX.sub("", text) or text


def shown_name(name: str) -> str:
    """The name as staff read it: without （盖章） and the spaces people type into it."""
    text = compact(name)
    while TRAILING_NOTE.search(text):
        text = TRAILING_NOTE.sub("", text)
    return text or name.strip()


def declared_names(package: Package) -> list[str]:
    """The unit names the package's own documents give: form covers, summary tables."""
    names = [c.form.cover.recommender for c in package.candidates if c.form.cover.recommender]
    names += [t.recommender for t in package.summary_tables if t.recommender]
    return [n for n in names if unit_key(n)]


def sender_address(package: Package) -> str:
    return parseaddr(package.sender)[1].lower()


def resolve_units(packages: list[Package]) -> None:
    """Every package, candidate and finding under its unit's one name (``packages`` in
    arrival order)."""
    spellings: dict[str, Counter[str]] = {}
    for package in packages:
        for name in declared_names(package):
            spellings.setdefault(unit_key(name), Counter())[shown_name(name)] += 1
    canonical = {key: _most_used(counter) for key, counter in spellings.items()}
    by_address: dict[str, str] = {}
    for package in packages:
        declared = declared_names(package)
        if declared:
            key = Counter(unit_key(n) for n in declared).most_common(1)[0][0]
            address = sender_address(package)
            if address:
                by_address.setdefault(address, key)
    for package in packages:
        before = package.recommender
        found = _package_unit(package, canonical, by_address)
        if found is not None:
            canonical.setdefault(found, shown_name(package.recommender or found))
            package.recommender = canonical[found]
        package.findings = [_renamed(f, before, package.recommender) for f in package.findings]
        for candidate in package.candidates:
            before = candidate.recommender
            cover = candidate.form.cover.recommender
            candidate.recommender = canonical.get(unit_key(cover), package.recommender) if cover \
                else package.recommender
            candidate.findings = [_renamed(f, before, candidate.recommender) for f in candidate.findings]


def _most_used(counter: Counter[str]) -> str:
    """The spelling used most; on a tie the fullest (衡阳市… over 市…)."""
    return max(counter, key=lambda name: (counter[name], len(compact(name)), name))


def _package_unit(package: Package, canonical: dict[str, str], by_address: dict[str, str]) -> str | None:
    declared = declared_names(package)
    if declared:
        return Counter(unit_key(n) for n in declared).most_common(1)[0][0]
    address = sender_address(package)
    if address in by_address:
        return by_address[address]
    display = parseaddr(package.sender)[0]
    texts = [package.subject, display, *(f.path for f in package.files), package.body_text[:2000]]
    named = _known_unit_in(texts, canonical)
    if named is not None:
        return named
    for text in texts:
        found = _unit_like(text)
        if found is not None:
            canonical.setdefault(unit_key(found), found)
            return unit_key(found)
    return None


def _known_unit_in(texts: list[str], canonical: dict[str, str]) -> str | None:
    """The known unit whose name (any spelling) stands in the texts, the longest first."""
    flat = [compact(t) for t in texts if t]
    keys = sorted((k for k in canonical if len(k) >= MIN_KEY), key=len, reverse=True)
    for text in flat:
        for key in keys:
            spellings = {key, compact(canonical[key]), key.replace("科协", "科学技术协会")}
            if any(s in text for s in spellings):
                return key
    return None


def _unit_like(text: str | None) -> str | None:
    """A unit-like name in free text: 南华大学科协 in "南华大学科协 李晓燕"."""
    for match in UNIT_IN_TEXT.finditer(compact(text)):
        name = TEXT_NOISE.sub("", match.group(0))
        if len(name) >= MIN_KEY:
            return name
    return None


def _renamed(finding: Finding, before: str | None, unit: str | None) -> Finding:
    """A finding made before the units were settled, under its unit's one name."""
    if unit and finding.recommender in (None, before) and finding.recommender != unit:
        return replace(finding, recommender=unit)
    return finding
