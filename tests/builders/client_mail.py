"""Messages written byte for byte the way real clients and mail tools write them, for the
names Python's email package gets wrong: charset labels its codec registry does not know,
the non-standard ``file=`` parameter, raw 8-bit names cut inside a character, files
uuencoded into a plain-text body, and a body alternative (Apple Mail's text/watch-html).

Each message lists the attachment names a careful human reads in it.

    >>> [m.key for m in client_messages()][:3]
    ['outlook_thai', 'foxmail_x_gbk', 'coremail_gb_2312_80']
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from tests.builders.tricky_mail import (
    CRLF,
    DOCX,
    DOCX_BYTES,
    base64_body,
    envelope,
    file_part,
    multipart,
    part,
    text_part,
)

PDF_BYTES = b"%PDF-1.4\n% stand-in\n"


@dataclass
class ClientMessage:
    key: str
    client: str
    raw: bytes = field(repr=False)
    names: list[str]
    body_contains: str = ""


def word(text: str, label: str, codec: str | None = None, encoding: str = "B") -> bytes:
    """An RFC 2047 word with ``label`` as the client writes it, the bytes in ``codec``."""
    data = text.encode(codec or label)
    if encoding == "B":
        return b"=?" + label.encode() + b"?B?" + base64.b64encode(data) + b"?="
    quoted = b"".join(bytes([b]) if 0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A
                      else b"=%02X" % b for b in data)
    return b"=?" + label.encode() + b"?Q?" + quoted + b"?="


def _named(content_type: str, name: bytes, data: bytes, key: bytes = b"filename") -> bytes:
    return file_part(content_type, [b'name="' + name + b'"'], data,
                     [b"Content-Disposition: attachment;", key + b'="' + name + b'"'])


def _message(key: str, boundary: str, parts: list[bytes], mailer: bytes) -> bytes:
    return multipart("mixed", boundary, [text_part("材料见附件", "gb2312"), *parts],
                     envelope(f"<{key}@example.invalid>".encode(), b"materials", mailer,
                              f"{key}@example.invalid"))


def outlook_thai() -> ClientMessage:
    name = "ใบสมัคร.pdf"  # Outlook on a Thai Windows labels the code page windows-874
    raw = _message("thai", "th1", [_named("application/pdf", word(name, "windows-874", "cp874"),
                                          PDF_BYTES)], b"X-Mailer: Microsoft Outlook 16.0")
    return ClientMessage("outlook_thai", "Outlook (Thai)", raw, [name])


def foxmail_x_gbk() -> ClientMessage:
    name = "附件1-申报表（朱镕基）.docx"
    raw = _message("xgbk", "xg1", [_named(DOCX, word(name, "x-gbk", "gbk"), DOCX_BYTES)],
                   b"X-Mailer: Foxmail 6.5")
    return ClientMessage("foxmail_x_gbk", "old Foxmail (x-gbk)", raw, [name])


def coremail_gb_2312_80() -> ClientMessage:
    name = "汇总表.xlsx"
    raw = _message("gb80", "gb1", [_named("application/octet-stream",
                                          word(name, "gb_2312-80", "gb2312", "Q"), b"xlsx")],
                   b"X-Mailer: Coremail Webmail Server")
    return ClientMessage("coremail_gb_2312_80", "Coremail (gb_2312-80)", raw, [name])


def outlook_korean() -> ClientMessage:
    name = "똠방각하-이력서.docx"  # 똠: cp949 (UHC) only, not in EUC-KR
    raw = _message("ko", "ko1", [_named(DOCX, word(name, "ks_c_5601-1987", "cp949"), DOCX_BYTES)],
                   b"X-Mailer: Microsoft Outlook Express 6.00.2900.5512")
    return ClientMessage("outlook_korean", "Outlook Express (Korean)", raw, [name])


def outlook_utf7() -> ClientMessage:
    name = "个人简介.docx"
    raw = _message("u7", "u71", [_named(DOCX, word(name, "unicode-1-1-utf-7", "utf-7", "Q"),
                                        DOCX_BYTES)],
                   b"X-Mailer: Microsoft Outlook Express 5.50.4133.2400")
    return ClientMessage("outlook_utf7", "Outlook Express (UTF-7)", raw, [name])


def rfc2231_x_gbk() -> ClientMessage:
    name = "证明材料.pdf"
    encoded = "".join(f"%{b:02X}" for b in "证明材料".encode("gbk")) + ".pdf"
    raw = _message("x2231", "x21", [file_part("application/pdf", [b"name=doc.pdf"], PDF_BYTES,
                                              [b"Content-Disposition: attachment;",
                                               b"filename*=x-gbk''" + encoded.encode()])],
                   b"X-Mailer: Thunderbird")
    return ClientMessage("rfc2231_x_gbk", "RFC 2231 with x-gbk", raw, [name])


def file_parameter() -> ClientMessage:
    name = "推荐材料.zip"
    zipped = b"PK\x05\x06" + b"\x00" * 18  # an empty zip
    raw = _message("file", "f1", [file_part("application/zip", [], zipped,
                                            [b"Content-Disposition: attachment;",
                                             b'file="' + word(name, "gbk") + b'"'])],
                   b"X-Mailer: Lotus Notes Release 8.5")
    return ClientMessage("file_parameter", "Lotus Notes (file=)", raw, [name])


def raw_8bit_cut() -> ClientMessage:
    """A webmail that writes raw UTF-8 names and truncates them at a byte count."""
    at_end = "关于推荐衡阳市卓越工程师人选的申报材料".encode("utf-8")[:40]  # 40: inside a character
    before_suffix = "张三的身份证复印件".encode("gbk")[:-1] + b".jpg"  # cut GBK, suffix put back
    raw = _message("cut", "c1", [_named("application/octet-stream", at_end, b"x"),
                                 _named("image/jpeg", before_suffix, b"\xff\xd8\xff")],
                   b"X-Mailer: SomeWebmail 2.1")
    return ClientMessage("raw_8bit_cut", "a webmail cutting raw 8-bit names", raw,
                         ["关于推荐衡阳市卓越工程师人", "张三的身份证复印.jpg"])


def uuencoded_body() -> ClientMessage:
    """A script or an old client: the file uuencoded into the plain-text body."""
    data = DOCX_BYTES * 3
    lines = [binascii.b2a_uu(data[i:i + 45]).rstrip(b"\n") for i in range(0, len(data), 45)]
    body = CRLF.join([b"Material attached, uuencoded.", b"",
                      b"begin 644 " + "申报表-李四.docx".encode("gbk"), *lines, b"`", b"end", b"",
                      b"best regards"])
    raw = multipart("mixed", "uu1", [part([b'Content-Type: text/plain; charset="gbk"',
                                           b"Content-Transfer-Encoding: 8bit"], body)],
                    envelope(b"<uu@example.invalid>", b"uuencoded", b"X-Mailer: elm 2.5",
                             "uu@example.invalid"))
    return ClientMessage("uuencoded_body", "elm / scripts (uuencode)", raw, ["申报表-李四.docx"],
                         body_contains="best regards")


def apple_watch_html() -> ClientMessage:
    """Apple Mail writes text/plain, text/watch-html and text/html as alternatives."""
    alternative = multipart("alternative", "apple-alt", [
        text_part("材料见附件（苹果邮件）", "utf-8"),
        part([b'Content-Type: text/watch-html; charset="utf-8"', b"Content-Transfer-Encoding: base64"],
             base64_body("<b>材料见附件</b>".encode())),
        text_part("<div>材料见附件</div>", "utf-8", "html"),
    ])
    raw = multipart("mixed", "apple-mixed", [
        alternative, _named(DOCX, word("申报表.docx", "utf-8"), DOCX_BYTES)],
        envelope(b"<apple@example.invalid>", b"apple", b"X-Mailer: Apple Mail (2.3731)",
                 "apple@example.invalid"))
    return ClientMessage("apple_watch_html", "Apple Mail (text/watch-html)", raw, ["申报表.docx"],
                         body_contains="苹果邮件")


def client_messages() -> list[ClientMessage]:
    return [outlook_thai(), foxmail_x_gbk(), coremail_gb_2312_80(), outlook_korean(),
            outlook_utf7(), rfc2231_x_gbk(), file_parameter(), raw_8bit_cut(),
            uuencoded_body(), apple_watch_html()]
