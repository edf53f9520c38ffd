"""Forwarded and repeated deliveries (issue 20, 4 and 5), as units send them.

A unit's secretary forwards the candidate's own mail: inline from 163 webmail (the
original's headers quoted under "-------- 转发邮件信息 --------", the files attached
again), as an attached message from QQ Mail (with the form attached a second time beside
it), inline from Outlook (its "发件人/发送时间" block under a rule). A unit also sends the
same mail twice, minutes apart, with a new Message-ID.
"""

from __future__ import annotations

import datetime as dt
import zlib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def _attach(message: EmailMessage, files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        main, sub = DOCX if name.endswith(".docx") else ("image", "jpeg") if name.endswith(".jpg") \
            else ("application", "octet-stream")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)


def _envelope(sender: str, subject: str, when: dt.datetime, message_id: str,
              mailer: str = "") -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "hykxxhb@163.com"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id
    if mailer:
        message["X-Mailer"] = mailer
    return message


def inline_163(unit: str, unit_address: str, candidate: str, candidate_address: str,
               files: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """163 webmail's 转发: the original quoted in the body, its files attached again."""
    quoted = (f"-------- 转发邮件信息 --------\n发件人：\"{candidate}\" <{candidate_address}>\n"
              f"发送日期：2025-04-07 16:20:11\n收件人：\"{unit}\" <{unit_address}>\n"
              f"主题：{candidate}卓越工程师申报材料\n\n老师好，我的申报材料见附件。")
    message = _envelope(f"\"{unit}\" <{unit_address}>", f"Fw:{candidate}卓越工程师申报材料", when,
                        "<6b1f.fw@163.com>", "Coremail Webmail Server Version 2024.1")
    message.set_content(f"转发本单位推荐人选{candidate}的材料，请查收。\n\n\n{quoted}", charset="utf-8")
    html_quote = quoted.replace("\n", "<br>")
    message.add_alternative(
        f"<div style=\"line-height:1.7;font-size:14px\">转发本单位推荐人选{candidate}的材料，请查收。</div>"
        f"<br><br><div style=\"font-size:12px;padding:2px 0\">{html_quote}</div>", subtype="html",
        charset="utf-8")
    _attach(message, files)
    return message.as_bytes(policy=SMTP)


def attached_qq(unit: str, unit_address: str, candidate: str, candidate_address: str,
                inner_files: list[tuple[str, bytes]], again: list[tuple[str, bytes]],
                when: dt.datetime) -> bytes:
    """QQ Mail's 作为附件转发: the original as message/rfc822, and some files beside it."""
    inner = _envelope(f"\"{candidate}\" <{candidate_address}>", "卓越工程师申报材料",
                      dt.datetime(2025, 4, 6, 21, 5, 40, tzinfo=SHANGHAI), "<inner.5@126.com>",
                      "Coremail Webmail Server Version 2023.2")
    inner.set_content("您好，申报表和简介见附件。", charset="gbk")
    _attach(inner, inner_files)
    message = _envelope(f"\"{unit}\" <{unit_address}>", f"转发：{candidate}申报材料", when,
                        "<tencent_fw_77@qq.com>")
    message.set_content("原邮件见附件，申报表另附一份。", charset="gb18030")
    message.add_attachment(inner, filename="卓越工程师申报材料.eml")
    _attach(message, again)
    return message.as_bytes(policy=SMTP)


def inline_outlook(unit: str, unit_address: str, candidate: str, candidate_address: str,
                   files: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """Outlook (Chinese): the original's headers under a rule of underscores."""
    body = (f"请审核。\n\n{'_' * 32}\n发件人: {candidate} <{candidate_address}>\n"
            f"发送时间: 2025年4月7日 星期一 下午 3:08\n收件人: {unit} <{unit_address}>\n"
            f"主题: 申报材料\n\n附件为申报材料。")
    message = _envelope(f"{unit} <{unit_address}>", "转发: 申报材料", when,
                        "<DM6PR.outlook@hy.example>", "Microsoft Outlook 16.0")
    message.set_content(body, charset="gb2312")
    _attach(message, files)
    return message.as_bytes(policy=SMTP)


def sent_twice(sender: str, subject: str, body: str, files: list[tuple[str, bytes]],
               when: dt.datetime, minutes: int, resent_subject: str | None = None
               ) -> tuple[bytes, bytes]:
    """The same mail sent again ``minutes`` later: a new Message-ID and Date, the same files."""
    sent = []
    for index, at in enumerate((when, when + dt.timedelta(minutes=minutes))):
        message = _envelope(sender, resent_subject if index and resent_subject else subject, at,
                            f"<send{index}.{zlib.crc32(subject.encode()) % 9999}@mail.example>")
        message.set_content(body, charset="utf-8")
        _attach(message, files)
        sent.append(message.as_bytes(policy=SMTP))
    return sent[0], sent[1]
