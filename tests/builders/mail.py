"""E-mail packages built the way mail clients build them, with the email package."""

from __future__ import annotations

import datetime as dt
import mimetypes
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def build_eml(sender: str, subject: str, body: str, attachments: list[tuple[str, bytes]],
              date: dt.datetime, message_id: str | None = None) -> bytes:
    """A multipart message; attachment names go out RFC 2231-encoded, as Outlook does."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "hykxxhb@163.com"
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id or make_msgid(domain="example.invalid")
    message.set_content(body)
    for name, data in attachments:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return bytes(message)
