"""Hostile files and messages of the kinds that reach a public mailbox, written here byte
by byte (no blobs are checked in): bombs, loops, garbage, deep nesting, traversal names.

``hostile_files()`` gives each file with the words its finding must say;
``hostile_messages()`` gives the broken messages themselves and one message per hostile
file, so that every bad thing can be named on its own.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from openpyxl import Workbook
from PIL import Image

from tests.builders.dates import SHANGHAI
from tests.builders.mail import build_eml

MiB = 1024 * 1024


@dataclass
class Hostile:
    key: str
    name: str  # the file (or .eml) the finding must name
    data: bytes = field(repr=False)
    says: tuple[str, ...]  # the finding's message holds one of these (plain Chinese)


# --- office documents ---------------------------------------------------------------------

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                 'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                 'ContentType="application/xml"/><Override PartName="/word/document.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 'document.main+xml"/></Types>')
PACKAGE_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="word/document.xml"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10)) + "]>")


def docx_with_document(document: bytes | None = None, stream_bytes: int = 0) -> bytes:
    """A minimal .docx; ``stream_bytes`` > 0 makes word/document.xml that many bytes of
    one repeated character (a zip bomb: it deflates about a thousand to one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        if stream_bytes:
            with package.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
                chunk = b" " * MiB
                for _ in range(stream_bytes // MiB):
                    part.write(chunk)
                part.write(b"</w:t></w:r></w:p></w:body></w:document>")
        else:
            package.writestr("word/document.xml", document or b"")
    return buffer.getvalue()


def billion_laughs_docx() -> bytes:
    document = (f'<?xml version="1.0"?>{LAUGHS}<w:document xmlns:w="{W}"><w:body><w:p><w:r>'
                f"<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    return docx_with_document(document.encode())


def _xlsx_parts() -> dict[str, bytes]:
    workbook = Workbook()
    workbook.active.append(["序号", "姓名"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return {name: package.read(name) for name in package.namelist()}


def _rezip(parts: dict[str, bytes], big: tuple[str, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            if big and name == big[0]:
                with package.open(name, "w", force_zip64=True) as part:
                    part.write(data.replace(b"</sheetData>", b""). rsplit(b"</worksheet>", 1)[0])
                    for _ in range(big[1] // MiB):
                        part.write(b" " * MiB)
                    part.write(b"</sheetData></worksheet>")
            else:
                package.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_xlsx(stream_bytes: int = 64 * MiB) -> bytes:
    return _rezip(_xlsx_parts(), ("xl/worksheets/sheet1.xml", stream_bytes))


def billion_laughs_xlsx() -> bytes:
    parts = _xlsx_parts()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    if sheet.startswith("<?xml"):
        sheet = sheet.partition("?>")[2]
    sheet = '<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS + sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "<sheetData>", '<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1
    ).encode()
    return _rezip(parts)


# --- PDFs -------------------------------------------------------------------------------------


def pdf_of(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with these objects (numbered from 1) and a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    return bytes(out)


def pdf_parent_loop() -> bytes:
    """The page tree loops: a Pages node is its own grandchild, and a page its own parent."""
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
        b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] >>",
    ])


def pdf_deep_arrays(depth: int = 100_000) -> bytes:
    """A page whose annotations and content stream hold arrays nested ``depth`` deep."""
    deep = b"[" * depth + b"1" + b"]" * depth
    content = b"BT /F1 12 Tf 72 712 Td " + deep + b" TJ ET"
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots " + deep
        + b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


# --- images -----------------------------------------------------------------------------------


def many_frames(format_name: str, frames: int = 1000) -> bytes:
    pictures = [Image.new("L", (16, 16), color=(i * 7) % 256) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format_name, save_all=True, append_images=pictures[1:])
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header that claims a huge picture (a pixel bomb), with a tiny body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


# --- archives ---------------------------------------------------------------------------------


def zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(stream_bytes: int = 64 * MiB) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("材料.txt", "w", force_zip64=True) as entry:
            for _ in range(stream_bytes // MiB):
                entry.write(b"\x00" * MiB)
    return buffer.getvalue()


def hostile_files(bomb_bytes: int = 64 * MiB) -> list[Hostile]:
    """Every hostile file, with the words its finding's message must hold; the zip bombs
    inflate to ``bomb_bytes``."""
    rng = random.Random(15)
    return [
        Hostile("fake_rar", "申报材料.rar", b"this is not a rar archive at all", ("不是压缩包",)),
        Hostile("garbage_rar", "证明材料.rar", b"Rar!\x1a\x07\x00" + rng.randbytes(4000),
                ("压缩包", "无法")),
        Hostile("zip_bomb", "炸弹.zip", zip_bomb(bomb_bytes), ("压缩炸弹", "异常膨胀")),
        Hostile("traversal", "越界.zip", zip_of([("../../逃逸.txt", b"x")]), ("越出解压目录",)),
        Hostile("xlsx_bomb", "附件3-汇总表.xlsx", zip_bomb_xlsx(bomb_bytes), ("异常膨胀",)),
        Hostile("docx_bomb", "申报表-炸弹.docx", docx_with_document(stream_bytes=bomb_bytes),
                ("异常膨胀",)),
        Hostile("xlsx_laughs", "汇总表-实体.xlsx", billion_laughs_xlsx(), ("实体", "文件损坏")),
        Hostile("docx_laughs", "申报表-实体.docx", billion_laughs_docx(), ("实体", "文件损坏")),
        Hostile("pdf_loop", "公示-循环.pdf", pdf_parent_loop(), ("PDF",)),
        Hostile("pdf_deep", "公示-嵌套.pdf", pdf_deep_arrays(), ("PDF",)),
        Hostile("tiff_frames", "扫描件-千帧.tif", many_frames("TIFF"), ("页数过多", "上限")),
        Hostile("gif_frames", "扫描件-千帧.gif", many_frames("GIF"), ("页数过多", "上限")),
        Hostile("pixel_bomb", "证书-巨幅.png", png_claiming(60_000, 60_000), ("像素",)),
    ]


# --- messages ---------------------------------------------------------------------------------


def nested_mime(depth: int = 1000) -> bytes:
    """A message whose multipart/mixed parts are nested ``depth`` deep, a file at the bottom."""
    leaf = (b'Content-Type: application/pdf; name="deep.pdf"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n")
    body = leaf
    for level in range(depth, 0, -1):
        boundary = b"b%d" % level
        body = (b"Content-Type: multipart/mixed; boundary=\"" + boundary + b"\"\r\n\r\n--" + boundary
                + b"\r\n" + body + b"\r\n--" + boundary + b"--\r\n")
    head = (b"From: deep@example.invalid\r\nTo: hykxxhb@163.com\r\nSubject: deep\r\n"
            b"Message-ID: <deep@example.invalid>\r\nDate: Tue, 08 Apr 2025 10:00:00 +0800\r\n"
            b"MIME-Version: 1.0\r\n")
    return head + body


def hostile_messages(bomb_bytes: int = 64 * MiB) -> list[Hostile]:
    """Broken messages, then one message per hostile file (named in its subject)."""
    rng = random.Random(1015)
    garbage = bytes(b for b in rng.randbytes(64 * 1024) if b not in b":\r\n")
    messages = [
        Hostile("empty_eml", "空邮件.eml", b"", ("邮件文件为空",)),
        Hostile("garbage_eml", "乱码.eml", garbage, ("不是有效的电子邮件",)),
        Hostile("nested_eml", "嵌套千层.eml", nested_mime(), ("嵌套过深",)),
    ]
    sent = dt.datetime(2025, 4, 9, 9, 0, tzinfo=SHANGHAI)
    for number, file in enumerate(hostile_files(bomb_bytes), start=1):
        raw = build_eml(f"陌生人{number} <stranger{number}@example.invalid>", f"材料 {file.key}",
                        "见附件", [(file.name, file.data)], sent,
                        message_id=f"<hostile-{file.key}@example.invalid>")
        messages.append(Hostile(file.key, file.name, raw, file.says))
    newline_name = zip_of([("照片\n.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")])
    messages.append(Hostile("newline_name", "照片\\u000a.jpg",
                            build_eml("陌生人 <n@example.invalid>", "换行文件名", "见附件",
                                      [("某某.zip", newline_name)], sent,
                                      message_id="<hostile-newline@example.invalid>"),
                            ("",)))
    return messages
