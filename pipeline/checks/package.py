"""Package rules: when it came, in what format the form came, who recommends."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath
from zoneinfo import ZoneInfo

from extractors.text import compact
from pipeline.checks.context import CheckContext
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Package

FORM_WORDS = re.compile(r"申报表|推荐表")
NOT_WORD_FORMATS = {".pdf": "PDF格式", ".ofd": "OFD格式", ".jpg": "JPG图片", ".jpeg": "JPG图片",
                    ".png": "PNG图片", ".bmp": "BMP图片", ".tif": "TIFF图片", ".tiff": "TIFF图片",
                    ".heic": "HEIC图片", ".heif": "HEIF图片", ".webp": "WEBP图片"}
TRAILING_NOTE = re.compile(r"[（(][^（()）]*[）)]$")  # 衡阳市科协（盖章）
SHOWN = "%Y-%m-%d %H:%M:%S"  # in the campaign's time zone, as staff read their clock


def late_submission(package: Package, context: CheckContext) -> list[Finding]:
    campaign = context.campaign
    received = received_time(package.received_at, campaign.timezone)
    if received is None or received <= campaign.deadline:
        return []
    return [Finding.of("LATE_SUBMISSION", recommender=package.recommender,
                       received=received.astimezone(campaign.timezone).strftime(SHOWN),
                       deadline=campaign.deadline.strftime(SHOWN))]


def received_time(received_at: str | None, zone: ZoneInfo) -> dt.datetime | None:
    """The ISO receipt time; one without an offset is read as the campaign's local time."""
    try:
        received = dt.datetime.fromisoformat(received_at or "")
    except ValueError:
        return None  # no or unreadable Date: lateness cannot be told
    return received if received.tzinfo else received.replace(tzinfo=zone)


def form_not_word(package: Package, context: CheckContext) -> list[Finding]:
    """A file named as a form, not Word, that no candidate's form came from (nobody could
    be named from it); each candidate's own form is ``candidate_form_not_word``'s."""
    return [Finding.of("FORM_NOT_WORD", file=f.name, recommender=package.recommender,
                       format=format_name(f.name))
            for f in package.files if _is_form_not_word(f.name) and "form_of" not in f.facts]


def _is_form_not_word(name: str) -> bool:
    return PurePath(name).suffix.lower() in NOT_WORD_FORMATS and bool(FORM_WORDS.search(compact(name)))


def format_name(name: str) -> str:
    return NOT_WORD_FORMATS.get(PurePath(name).suffix.lower(), "非Word格式")


def candidate_form_not_word(candidate: Candidate, context: CheckContext) -> list[Finding]:
    """Each candidate whose form never came in Word, whatever the others sent."""
    if candidate.has_word_form:
        return []
    return [Finding.of("FORM_NOT_WORD", file=candidate.form_file.name, candidate=candidate.name,
                       recommender=candidate.recommender, format=format_name(candidate.form_file.name))]


def form_unreadable(candidate: Candidate, context: CheckContext) -> list[Finding]:
    """A form that could not be read at all: the candidate stands on its file's name."""
    if not candidate.form_problem:
        return []
    return [Finding.of("UNREADABLE_FILE", file=candidate.form_file.name, candidate=candidate.name,
                       recommender=candidate.recommender, failure=candidate.form_problem)]


def recommender_not_eligible(package: Package, context: CheckContext) -> list[Finding]:
    if package.recommender is None:
        return []
    name = TRAILING_NOTE.sub("", compact(package.recommender))
    if name.endswith(context.campaign.recommender_suffixes):
        return []
    return [Finding.of("RECOMMENDER_NOT_ELIGIBLE", recommender=package.recommender)]


RULES: list = [candidate_form_not_word, form_unreadable]
UNIT_RULES: list = []
PACKAGE_RULES: list = [late_submission, form_not_word, recommender_not_eligible]
REGISTER_RULES: list = []
