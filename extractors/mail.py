"""An e-mail message read into its headers, body text and attachments.

A plain MIME walk with the modern ``email.policy.default`` (the compat32 policy leaves
RFC 2047 names undecoded). Every leaf part that is not the body is an attachment, so
no part is dropped silently; a part without a name gets one from its type.
"""

from __future__ import annotations

import email
import mimetypes
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime


@dataclass
class Attachment:
    name: str
    data: bytes = field(repr=False)
    content_type: str = "application/octet-stream"


@dataclass
class MailMessage:
    message_id: str
    sender: str
    subject: str
    received_at: str | None  # ISO-8601 from the Date header
    body_text: str
    attachments: list[Attachment] = field(default_factory=list)


def read_message(raw: bytes) -> MailMessage:
    message = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    body, attachments = _walk(message)
    return MailMessage(
        message_id=str(message.get("Message-ID", "") or "").strip(),
        sender=str(message.get("From", "") or ""),
        subject=str(message.get("Subject", "") or ""),
        received_at=_date(message.get("Date")),
        body_text=body,
        attachments=attachments,
    )


def _date(value: object) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _walk(message: EmailMessage) -> tuple[str, list[Attachment]]:
    body_parts: list[str] = []
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        is_body = name is None and part.get_content_type() in ("text/plain", "text/html") \
            and part.get_content_disposition() != "attachment"
        if is_body:
            if part.get_content_type() == "text/plain":
                body_parts.append(_text_of(part))
            continue
        data = part.get_payload(decode=True) or b""
        attachments.append(Attachment(name or _name_for(part, len(attachments)), data,
                                      part.get_content_type()))
    return "\n".join(body_parts).strip(), attachments


def _text_of(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    if charset.lower() in ("gb2312", "gbk", "gb_2312-80"):
        charset = "gb18030"  # gb2312 labels often carry GBK-only characters
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _name_for(part: EmailMessage, index: int) -> str:
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    return f"未命名附件{index + 1}{extension}"
