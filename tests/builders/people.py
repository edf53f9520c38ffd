"""Invented candidates: everything one person fills in on the form, as canonical values.

No real personal data: names, ID numbers (valid GB 11643 check digits, made up), phones
and e-mail addresses are invented. Employers are ordinary Hengyang-sounding units.

Canonical means what a correct parser returns, not how a layout writes it: dates are
ISO ("1986-03-12", periods as "YYYY-MM" with ``None`` for an open end), numbers in ASCII
without spaces, long texts with one line per paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.records import AwardRow, IpRow, OrganizationRow, ResultRow, StudyRow, WorkRow

from .photo import photo_jpeg
from .template import DOMAINS, NATURES, listed_subfields

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of an ID number.

    >>> id_check_digit("11010519491231002")
    'X'
    """
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def make_id_number(region: str, birth_iso: str, gender: str, order: int, check_x: bool = False) -> str:
    """An invented 18-digit ID number whose birth date and gender digit match the person.

    The three-digit order code starts at ``order``; the first one with the right parity
    (odd for 男) and, when ``check_x``, an X check digit, is taken.
    """
    birth = birth_iso.replace("-", "")
    for step in range(1000):
        code = f"{(order + step) % 1000:03d}"
        if int(code[-1]) % 2 != (1 if gender == "男" else 0):
            continue
        first17 = region + birth + code
        check = id_check_digit(first17)
        if not check_x or check == "X":
            return first17 + check
    raise ValueError("no order code fits")


@dataclass
class Person:
    slug: str
    # cover
    recommender: str
    name: str
    employer: str
    domain: str  # one of template.DOMAINS
    subdomain: str  # a listed sub-field, or the text written after 其他
    classified: bool
    secret_level: str  # 机密 / 秘密 / 无
    filled_date: str | None  # ISO, None when left as "年 月 日"
    # section 一
    gender: str
    birth_date: str
    ethnicity: str
    nationality: str
    political_status: str
    education: str
    degree: str
    admin_level: str | None
    title: str
    discipline_1: str
    discipline_2: str
    id_type: str
    id_number: str
    employer_and_position: str
    employer_region: str
    employer_nature: str
    office_phone: str | None
    mobile: str
    email: str
    address: str
    postcode: str
    # sections 二 to 八
    study: list[StudyRow] = field(default_factory=list)
    work: list[WorkRow] = field(default_factory=list)
    achievements: list[str] = field(default_factory=list)  # paragraphs
    results: list[ResultRow] = field(default_factory=list)  # ordered by seq
    organizations: list[OrganizationRow] = field(default_factory=list)
    ip: list[IpRow] = field(default_factory=list)
    awards: list[AwardRow] = field(default_factory=list)
    awards_none_declared: bool = False
    photo_seed: int | None = None

    def __post_init__(self) -> None:
        assert self.domain in DOMAINS, self.domain
        assert self.employer_nature in NATURES, self.employer_nature
        assert not (self.awards and self.awards_none_declared)
        assert [r.seq for r in self.results] == sorted((r.seq for r in self.results), key=int)

    @property
    def subdomain_is_other(self) -> bool:
        return self.subdomain not in listed_subfields(self.domain)

    @property
    def photo(self) -> bytes | None:
        return None if self.photo_seed is None else photo_jpeg(seed=self.photo_seed)


# --- row shorthands ---------------------------------------------------------------------


def study(start: str, end: str | None, school: str, major: str, degree: str = "") -> StudyRow:
    return StudyRow(start, end, school, major, degree)


def work(start: str, end: str | None, employer: str, position: str) -> WorkRow:
    return WorkRow(start, end, employer, position)


def org(start: str, end: str | None, organization: str, role: str) -> OrganizationRow:
    return OrganizationRow(start, end, organization, role)


def result(seq: str, category: str, name: str, role: str, impact: str, contribution: str,
           remark: str = "") -> ResultRow:
    return ResultRow(seq, category, name, role, impact, contribution, remark)


def ip(seq: str, name: str, year: str, rank: str, implementation: str, contribution: str) -> IpRow:
    return IpRow(seq, name, year, rank, implementation, contribution)


def award(seq: str, date: str, name: str, level_rank: str, contribution: str) -> AwardRow:
    return AwardRow(seq, date, name, level_rank, contribution)


def sample_people() -> list[Person]:
    """Fourteen invented candidates, varied in every way the form allows."""
    from .sample_data import PEOPLE

    return [factory() for factory in PEOPLE]
