"""Cloud attachments (issue 20, 1): files linked from the body instead of attached, as 163,
126, yeah.net and QQ Mail write them, are named in one CLOUD_ATTACHMENT finding with size
and expiry; the items they would prove stay missing; the reply draft asks for them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import json
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import cast

import pytest

from extractors.mail.cloud import CloudFile, find_cloud_files
from extractors.mail.mime import read_message
from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.cloud_mail import (
    CloudMessage,
    cloud_messages,
    netease_163,
    not_cloud,
    qq_big_attachment,
)
from tests.builders.forms import build_form
from tests.builders.sample_data import mai_jiajun, ouyang_xiaolan
from tests.codes import CodeList

FORM = ("申报表.docx", b"PK\x03\x04 not read here")


@pytest.mark.parametrize("message", cloud_messages(FORM), ids=lambda m: m.client)
def test_each_clients_block_gives_every_file_with_size_expiry_and_link(message: CloudMessage) -> None:
    assert read_message(message.raw).cloud_files == [
        CloudFile(item.name, item.size, item.expiry, item.link, message.service)
        for item in message.linked]


def test_literal_values_of_two_clients() -> None:
    [first, second] = read_message(netease_163(FORM).raw).cloud_files
    assert (first.name, first.size, first.expiry, first.service) == (
        "衡阳市机械工程学会欧阳晓岚证明材料.zip", "286.45M", "2025年4月24日 10:32", "网易163邮箱")
    assert second.name == "欧阳晓岚获奖证书扫描件.pdf"
    [qq, _] = read_message(qq_big_attachment(FORM).raw).cloud_files
    assert (qq.name, qq.size, qq.expiry, qq.service) == (
        "何嘉欣证书扫描.pdf", "68.5M", "2025年05月08日 10:32", "QQ邮箱")
    assert qq.link.startswith("https://wx.mail.qq.com/ftn/download?func=3&k=ab12cd34")


def test_a_body_that_only_speaks_of_large_files_links_none() -> None:
    assert read_message(not_cloud(FORM)).cloud_files == []


@pytest.mark.parametrize(("text", "found"), [
    ("iCloud Mail Drop\n会议纪要.pdf (2.1 GB) 有效期至2025-05-09\nhttps://www.icloud.com/attachment/?u=x",
     [("会议纪要.pdf", "2.1GB", "2025-05-09")]),
    ("从网易163邮箱发来的超大附件\n材料.zip (12M, 永久有效)\nhttps://mail.163.com/x",
     [("材料.zip", "12M", "永久有效")]),
    ("从网易163邮箱发来的超大附件\n材料.zip (12M)\n", []),  # no link: nothing to name as linked
    ("超大附件\n张三.docx 1.2M <https://a.example/1>\n李四.docx 2M\n", [("张三.docx", "1.2M", "")]),
    ("附件：张三.docx (1.2M) https://a.example/1", []),  # no block: an ordinary mention
])
def test_blocks_in_plain_text(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(f.name, f.size, f.expiry) for f in find_cloud_files(text)] == found


def read_draft(path: Path) -> EmailMessage:
    return cast(EmailMessage, email.message_from_bytes(path.read_bytes(), policy=default_policy))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """Two units: 机械工程学会 from 163 (the form attached, the copies as 超大附件) and
    电子学会 from QQ Mail (the same, two files linked)."""
    root = tmp_path_factory.mktemp("cloud")
    inbox = root / "inbox"
    inbox.mkdir()
    ouyang = dataclasses.replace(ouyang_xiaolan(), recommender="衡阳市机械工程学会")
    mai = dataclasses.replace(mai_jiajun(), recommender="衡阳市电子学会")
    (inbox / "163.eml").write_bytes(
        netease_163((f"{ouyang.name}申报表.docx", build_form(ouyang, "official")[0])).raw)
    (inbox / "qq.eml").write_bytes(
        qq_big_attachment((f"{mai.name}申报表.docx", build_form(mai, "official")[0])).raw)
    options = RunOptions(inbox=inbox, outbox=root / "out", store_dir=root / "store",
                         as_of=dt.date(2025, 4, 15))
    run_once(options)
    return json.loads((options.outbox / "register.json").read_text(encoding="utf-8")), options.outbox


@pytest.mark.slow
def test_the_finding_names_every_file_and_the_items_stay_missing(run: tuple[dict, Path]) -> None:
    register, _ = run
    by_unit = {p["recommender"]: p for p in register["packages"]}
    [finding] = [f for f in by_unit["衡阳市机械工程学会"]["findings"] if f["code"] == "CLOUD_ATTACHMENT"]
    assert finding["severity"] == "warning"
    assert finding["message"] == (
        "邮件正文中的2个超大附件未随邮件附上，无法读取，其所证明的材料按未提供处理："
        "“衡阳市机械工程学会欧阳晓岚证明材料.zip”（286.45M，2025年4月24日 10:32到期）、"
        "“欧阳晓岚获奖证书扫描件.pdf”（63.2M，2025年4月24日 10:32到期）；"
        "请将这些文件作为邮件附件直接发送（可分多封邮件），或确保在到期前可供下载")
    assert [f["name"] for f in by_unit["衡阳市电子学会"]["cloud_files"]] == [
        "何嘉欣证书扫描.pdf", "何嘉欣效益证明及用户报告.zip"]
    for candidate in register["candidates"]:
        codes = CodeList(f["code"] for f in candidate["findings"])
        assert {"ID_COPY_MISSING", "DIPLOMA_COPY_MISSING", "TITLE_CERT_MISSING",
                "PHOTO_MISSING"} <= set(codes)
        assert not candidate["checklist"]["id_copy"]


@pytest.mark.slow
def test_the_reply_draft_asks_for_the_linked_files(run: tuple[dict, Path]) -> None:
    _, outbox = run
    body = read_draft(outbox / "replies" / "衡阳市电子学会-2025-04-15.eml").get_content()
    assert ("邮件正文中的2个超大附件未随邮件附上，无法读取，其所证明的材料按未提供处理："
            "“何嘉欣证书扫描.pdf”（68.5M，2025年05月08日 10:32到期）、"
            "“何嘉欣效益证明及用户报告.zip”（153.0M，2025年05月08日 10:32到期）；"
            "请将这些文件作为邮件附件直接发送（可分多封邮件），或确保在到期前可供下载（请核实）") in body
