"""Forwarded mail (issue 20, 4) and the same mail sent twice (issue 20, 5).

A forward belongs to the unit that forwarded it; a file inside an attached message and
attached again beside it counts once; the original's sender and time are kept in the
package record. A mail sent again doubles nothing and is shown once as 重复发送，已合并.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from pipeline.intake.packages import IntakeSettings, read_package
from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.demo import bio_docx
from tests.builders.forms import build_form
from tests.builders.forwarded_mail import (
    SHANGHAI,
    attached_qq,
    inline_163,
    inline_outlook,
    sent_twice,
)
from tests.builders.photo import photo_jpeg
from tests.builders.sample_data import he_zhenyu, mai_jiajun, ouyang_xiaolan
from tests.codes import CodeList

WHEN = dt.datetime(2025, 4, 8, 9, 30, tzinfo=SHANGHAI)
MECH, ELEC, HITECH = "衡阳市机械工程学会", "衡阳市电子学会", "衡阳高新区科协"


def person(factory, unit: str):
    return dataclasses.replace(factory(), recommender=unit)


def form_of(p) -> tuple[str, bytes]:
    return (f"{p.name}申报表.docx", build_form(p, "official")[0])


# --- forwarded ------------------------------------------------------------------------


def test_an_inline_163_forward_keeps_the_original_sender_and_time() -> None:
    ouyang = person(ouyang_xiaolan, MECH)
    files = [form_of(ouyang), ("欧阳晓岚+19900105.jpg", photo_jpeg(seed=3))]
    raw = inline_163(MECH, "hyjx@163.com", "欧阳晓岚", "oyxl1990@qq.com", files, WHEN)
    package = read_package(raw, "fw163.eml", IntakeSettings())
    assert (package.forwarded_from, package.forwarded_sent_at) == (
        '"欧阳晓岚" <oyxl1990@qq.com>', "2025-04-07T16:20:11")
    assert package.sender == f"{MECH} <hyjx@163.com>"
    assert package.recommender == MECH
    assert [c.name for c in package.candidates] == ["欧阳晓岚"]
    assert [f.name for f in package.files] == ["欧阳晓岚申报表.docx", "欧阳晓岚+19900105.jpg"]


def test_an_attached_qq_forward_counts_the_re_attached_form_once() -> None:
    mai = person(mai_jiajun, ELEC)
    form = form_of(mai)
    raw = attached_qq(ELEC, "2841736505@qq.com", "麦嘉俊", "kelvin.mai@126.com",
                      [form, ("麦嘉俊-个人简介.docx", bio_docx(mai))], [form], WHEN)
    package = read_package(raw, "fwqq.eml", IntakeSettings())
    assert (package.forwarded_from, package.forwarded_sent_at) == (
        "麦嘉俊 <kelvin.mai@126.com>", "2025-04-06T21:05:40+08:00")
    assert package.recommender == ELEC
    assert [f.path for f in package.files] == [
        "卓越工程师申报材料.eml", "卓越工程师申报材料.eml/麦嘉俊申报表.docx",
        "卓越工程师申报材料.eml/麦嘉俊-个人简介.docx"]
    assert [c.name for c in package.candidates] == ["麦嘉俊"]
    assert package.notes == ["“麦嘉俊申报表.docx”与“卓越工程师申报材料.eml/麦嘉俊申报表.docx”内容相同，只计一次"]


def test_an_outlook_forward_reads_the_chinese_afternoon_time() -> None:
    he = person(he_zhenyu, HITECH)
    raw = inline_outlook(HITECH, "gxqkx@hy.example", "贺振宇", "hezy@163.com", [form_of(he)], WHEN)
    package = read_package(raw, "fwol.eml", IntakeSettings())
    assert (package.forwarded_from, package.forwarded_sent_at) == (
        "贺振宇 <hezy@163.com>", "2025-04-07T15:08:00")
    assert package.recommender == HITECH


def test_a_mail_of_the_senders_own_is_no_forward() -> None:
    ouyang = person(ouyang_xiaolan, MECH)
    first, _ = sent_twice("a <a@163.com>", "申报", "老师好：\n------------------\n机械学会 王芳",
                          [form_of(ouyang)], WHEN, 3)
    package = read_package(first, "own.eml", IntakeSettings())
    assert (package.forwarded_from, package.forwarded_sent_at) == (None, None)


# --- sent twice -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """机械工程学会 sends its mail twice from 163, four minutes apart; 电子学会 twice from
    QQ Mail, the second titled （重发）; each with a broken photo, so that a package's own
    finding would show a doubling."""
    root = tmp_path_factory.mktemp("twice")
    inbox = root / "inbox"
    inbox.mkdir()
    ouyang, mai = person(ouyang_xiaolan, MECH), person(mai_jiajun, ELEC)
    sends = {
        "mech": sent_twice(f"{MECH} <hyjx@163.com>", "申报材料", "见附件",
                           [form_of(ouyang), ("欧阳晓岚-个人简介.docx", bio_docx(ouyang)),
                            ("扫描件.zip", b"not a zip at all")], WHEN, 4),
        "elec": sent_twice(f"{ELEC} <2841736505@qq.com>", "电子学会申报材料", "请查收",
                           [form_of(mai), ("麦嘉俊-个人简介.docx", bio_docx(mai)),
                            ("证明.zip", b"cut off")], WHEN + dt.timedelta(hours=1), 11,
                           resent_subject="电子学会申报材料（重发）"),
    }
    for key, (first, second) in sends.items():
        (inbox / f"{key}-1.eml").write_bytes(first)
        (inbox / f"{key}-2.eml").write_bytes(second)
    options = RunOptions(inbox=inbox, outbox=root / "out", store_dir=root / "store",
                         as_of=dt.date(2025, 4, 15))
    run_once(options)
    register = json.loads((options.outbox / "register.json").read_text(encoding="utf-8"))
    html = (options.outbox / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    return register, html


@pytest.mark.slow
def test_nothing_is_doubled(twice: tuple[dict, str]) -> None:
    register, _ = twice
    assert sorted(c["name"] for c in register["candidates"]) == ["欧阳晓岚", "麦嘉俊"]
    for candidate in register["candidates"]:
        names = [f["name"] for f in candidate["files"]]
        assert len(names) == len(set(names)) == 2  # the form and the bio, once each
    for unit, broken in ((MECH, "扫描件.zip"), (ELEC, "证明.zip")):
        found = [(f["code"], f["file"]) for p in register["packages"] if p["recommender"] == unit
                 for f in p["findings"]]
        assert CodeList(code for code, _ in found) == ["UNREADABLE_FILE"]
        assert [file for _, file in found] == [broken]


@pytest.mark.slow
def test_the_second_delivery_points_to_the_first(twice: tuple[dict, str]) -> None:
    register, _ = twice
    packages = {p["source"]: p for p in register["packages"]}
    assert packages["mech-1.eml"]["repeat_of"] is None
    assert packages["mech-2.eml"]["repeat_of"] == packages["mech-1.eml"]["message_id"]
    assert packages["elec-2.eml"]["repeat_of"] == packages["elec-1.eml"]["message_id"]


@pytest.mark.slow
def test_the_report_shows_each_delivery_once_as_merged(twice: tuple[dict, str]) -> None:
    _, html = twice
    assert html.count("重复发送，已合并") == 2
    assert "重复发送，已合并（2025-04-08 09:34再次收到）" in html
    assert "重复发送，已合并（2025-04-08 10:41再次收到）" in html
    assert "新收到（2件）" in html
    # its UNREADABLE_FILE once under 待处理问题 and once in what to ask the unit for, not twice each
    assert html.count("扫描件.zip") == 2
