"""Package rules: when it came, in what format the form came, who recommends."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath
from zoneinfo import ZoneInfo

from extractors.text import compact
from pipeline.checks.context import CheckContext
from pipeline.model.catalog import Finding
from pipeline.model.models import Package

FORM_WORDS = re.compile(r"申报表|推荐表")
NOT_WORD_FORMATS = {".pdf": "PDF格式", ".ofd": "OFD格式", ".jpg": "JPG图片", ".jpeg": "JPG图片",
                    ".png": "PNG图片", ".bmp": "BMP图片", ".tif": "TIFF图片", ".tiff": "TIFF图片",
                    ".heic": "HEIC图片", ".webp": "WEBP图片"}
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
    if any(f.kind == "application_form" for f in package.files):
        return []
    return [Finding.of("FORM_NOT_WORD", file=f.name, recommender=package.recommender,
                       format=NOT_WORD_FORMATS[PurePath(f.name).suffix.lower()])
            for f in package.files if _is_form_not_word(f.name)]


def _is_form_not_word(name: str) -> bool:
    return PurePath(name).suffix.lower() in NOT_WORD_FORMATS and bool(FORM_WORDS.search(compact(name)))


def recommender_not_eligible(package: Package, context: CheckContext) -> list[Finding]:
    if package.recommender is None:
        return []
    name = TRAILING_NOTE.sub("", compact(package.recommender))
    if name.endswith(context.campaign.recommender_suffixes):
        return []
    return [Finding.of("RECOMMENDER_NOT_ELIGIBLE", recommender=package.recommender)]


RULES: list = []
UNIT_RULES: list = []
PACKAGE_RULES: list = [late_submission, form_not_word, recommender_not_eligible]
REGISTER_RULES: list = []
