"""The record a correct parser returns for a Person's form, whatever the layout.

Built from the Person's canonical values with the parser's text normalisation rules
(``extractors.text``), never from what a layout wrote. Dates are the Person's own ISO
values, as they are: never passed through the date parser under test.
"""

from __future__ import annotations

import re

from extractors.records import (
    ApplicationForm,
    AwardRow,
    EmbeddedImage,
    FormCover,
    FormFields,
    IpRow,
    OrganizationRow,
    ResultRow,
    StudyRow,
    WorkRow,
)
from extractors.text import join_lines, squash

from .people import Person

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def line(text: str | None) -> str:
    return join_lines(text)


def line_or_none(text: str | None) -> str | None:
    return join_lines(text) or None


def number(text: str | None) -> str | None:
    """Phones and postcodes: spaces removed, full-width digits folded to ASCII."""
    if not text:
        return None
    return re.sub(r"\s+", "", text.translate(_FULLWIDTH_DIGITS)) or None


def id_number(text: str | None) -> str | None:
    if not text:
        return None
    return re.sub(r"\s+", "", text).upper()


def expected_cover(p: Person) -> FormCover:
    return FormCover(
        recommender=line_or_none(p.recommender),
        candidate_name=line_or_none(p.name),
        employer=line_or_none(p.employer),
        engineering_field=p.domain,
        classified=p.classified,
        secret_level=p.secret_level,
        filled_date=p.filled_date,
    )


def expected_fields(p: Person) -> FormFields:
    simple = ("name", "gender", "ethnicity", "nationality", "political_status", "education",
              "degree", "admin_level", "title", "discipline_1", "discipline_2", "id_type",
              "employer_and_position", "employer_region", "email", "address")
    values = {key: line_or_none(getattr(p, key)) for key in simple}
    return FormFields(
        **values,
        birth_date=p.birth_date,
        id_number=id_number(p.id_number),
        employer_nature=p.employer_nature,
        office_phone=number(p.office_phone),
        mobile=number(p.mobile),
        postcode=number(p.postcode),
        domain=p.domain,
        subdomain=p.subdomain,
        classified=p.classified,
        secret_level=p.secret_level,
    )


def expected_study(p: Person) -> list[StudyRow]:
    return [StudyRow(r.start, r.end, line(r.school), line(r.major), line(r.degree)) for r in p.study]


def expected_work(p: Person) -> list[WorkRow]:
    return [WorkRow(r.start, r.end, line(r.employer), line(r.position)) for r in p.work]


def expected_results(p: Person) -> list[ResultRow]:
    return [ResultRow(r.seq, re.sub(r"\s+", "", r.category), line(r.name), line(r.role),
                      squash(r.impact), squash(r.contribution), line(r.remark))
            for r in p.results]


def expected_organizations(p: Person) -> list[OrganizationRow]:
    return [OrganizationRow(r.start, r.end, line(r.organization), line(r.role))
            for r in p.organizations]


def expected_ip(p: Person) -> list[IpRow]:
    return [IpRow(r.seq, line(r.name), line(r.year), line(r.rank), squash(r.implementation),
                  squash(r.contribution)) for r in p.ip]


def expected_awards(p: Person) -> list[AwardRow]:
    return [AwardRow(r.seq, line(r.date), line(r.name), line(r.level_rank), squash(r.contribution))
            for r in p.awards]


def expected_form(p: Person) -> ApplicationForm:
    photo = p.photo
    return ApplicationForm(
        cover=expected_cover(p),
        fields=expected_fields(p),
        study=expected_study(p),
        work=expected_work(p),
        achievements=squash("\n".join(p.achievements)),
        results=expected_results(p),
        organizations=expected_organizations(p),
        ip=expected_ip(p),
        awards=expected_awards(p),
        awards_none_declared=p.awards_none_declared,
        photo=EmbeddedImage("image/jpeg", photo) if photo is not None else None,
    )
