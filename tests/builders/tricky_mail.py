"""Messages and archives built byte for byte the way Chinese mail clients and Windows build them.

Each message is written by hand, not through ``email.message.EmailMessage``, so that the
headers are exactly what each client sends:

- Foxmail: RFC 2047 B-encoded GBK inside quoted ``name=``/``filename=``, a long name
  folded into several words split in the middle of a character;
- Outlook: RFC 2231 ``filename*0*=gb2312''…`` continuations holding GBK-only characters,
  an inline ``image001.png`` in multipart/related, winmail.dat (TNEF) from Outlook in RTF;
- 163 webmail (Coremail): Q-encoded ``=?GB2312?Q?`` words holding GBK-only 镕 and 喆;
- QQ mail: raw 8-bit GBK in the header, one character with a 0x5C trail byte;
- WPS: an inline picture with a name and no Content-Disposition;
- a forwarded message (message/rfc822) carrying its own attachments;
- a UTF-8 name split mid-character across words, and a name no charset can read.

Archives: a zip made on Chinese Windows (GBK names, no UTF-8 flag) mixed with UTF-8
flagged names and a WinRAR Unicode Path field, a zip nested in a zip, a 7z, and a RAR 4
archive with stored entries (written here: Debian main has no RAR creator).

    >>> [m.key for m in tricky_messages()][:3]
    ['foxmail', 'outlook', 'webmail163']
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

CRLF = b"\r\n"
DATE = b"Date: Tue, 08 Apr 2025 10:21:33 +0800"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Small stand-ins: the MIME layer never looks inside.
DOCX_BYTES = b"PK\x03\x04 stand-in docx"
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
JPEG_BYTES = b"\xff\xd8\xff\xe0 stand-in jpeg \xff\xd9"


@dataclass
class TrickyMessage:
    key: str
    client: str  # whose way of writing it imitates
    raw: bytes = field(repr=False)
    names: list[str]  # attachment names, in order
    paths: list[str] | None = None  # when they differ from the names (nested parts)
    subject: str = ""
    sender_name: str = ""
    body_contains: str = ""
    problem_contains: str = ""  # a word the message's problems must mention


# --- encoders the clients use -----------------------------------------------------------


def b_word(text: str, charset: str = "GBK") -> bytes:
    data = base64.b64encode(text.encode(_codec(charset)))
    return b"=?" + charset.encode() + b"?B?" + data + b"?="


def b_words_split(text: str, charset: str, every: int) -> list[bytes]:
    """Words cut every ``every`` bytes, even inside a character (as some encoders do)."""
    data = text.encode(_codec(charset))
    chunks = [data[i:i + every] for i in range(0, len(data), every)]
    return [b"=?" + charset.encode() + b"?B?" + base64.b64encode(c) + b"?=" for c in chunks]


def q_word(text: str, charset: str = "GB2312") -> bytes:
    out = bytearray()
    for byte in text.encode(_codec(charset)):
        if byte == 0x20:
            out += b"_"
        elif 0x30 <= byte <= 0x39 or 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A:
            out.append(byte)
        else:
            out += b"=%02X" % byte
    return b"=?" + charset.encode() + b"?Q?" + bytes(out) + b"?="


def rfc2231_continuations(key: str, text: str, charset: str, every: int) -> list[bytes]:
    """``key*0*=charset''%XX…; key*1*=%XX…`` as Outlook and Thunderbird fold long names."""
    data = text.encode(_codec(charset))
    tokens = [chr(b) if chr(b).isascii() and chr(b).isalnum() or chr(b) in ".-_" else f"%{b:02X}"
              for b in data]
    pieces = ["".join(tokens[i:i + every]) for i in range(0, len(tokens), every)]
    lines = []
    for index, piece in enumerate(pieces):
        prefix = f"{charset}''" if index == 0 else ""
        lines.append(f"{key}*{index}*={prefix}{piece}".encode("ascii"))
    return lines


def _codec(charset: str) -> str:
    return "gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset


def base64_body(data: bytes) -> bytes:
    text = base64.b64encode(data)
    return CRLF.join(text[i:i + 76] for i in range(0, len(text), 76))


def part(headers: list[bytes], body: bytes) -> bytes:
    return CRLF.join(headers) + CRLF + CRLF + body


def multipart(subtype: str, boundary: str, parts: list[bytes], headers: list[bytes] = ()) -> bytes:
    head = list(headers) + [f'Content-Type: multipart/{subtype};'.encode(),
                            f'\tboundary="{boundary}"'.encode()]
    lines = [CRLF.join(head), b"", b"This is a multi-part message in MIME format.", b""]
    for item in parts:
        lines += [b"--" + boundary.encode(), item, b""]
    lines.append(b"--" + boundary.encode() + b"--")
    return CRLF.join(lines) + CRLF


def text_part(text: str, charset: str = "GBK", subtype: str = "plain") -> bytes:
    return part([f'Content-Type: text/{subtype};'.encode(), f'\tcharset="{charset}"'.encode(),
                 b"Content-Transfer-Encoding: base64"], base64_body(text.encode(_codec(charset))))


def file_part(content_type: str, params: list[bytes], data: bytes,
              disposition: list[bytes] | None, extra: list[bytes] = ()) -> bytes:
    """A base64 part; ``params`` and ``disposition`` are header lines after the first."""
    headers = [f"Content-Type: {content_type};".encode()] + [b"\t" + p for p in params]
    headers[-1] = headers[-1].rstrip(b";")
    headers.append(b"Content-Transfer-Encoding: base64")
    if disposition is not None:
        headers += [disposition[0]] + [b"\t" + p for p in disposition[1:]]
    headers += list(extra)
    return part(headers, base64_body(data))


def envelope(sender: bytes, subject: bytes, mailer: bytes, message_id: str) -> list[bytes]:
    return [b"From: " + sender, b"To: hykxxhb@163.com", b"Subject: " + subject, DATE,
            f"Message-ID: <{message_id}>".encode(), mailer, b"Mime-Version: 1.0"]


# --- the clients ------------------------------------------------------------------------


def foxmail() -> TrickyMessage:
    name = "附件1：卓越工程师申报表（张三，湖南华菱衡阳钢管有限公司）.docx"
    words = b_words_split(name, "GBK", 30)  # 30 bytes: a cut inside a two-byte character
    folded = b"\r\n\t".join(words)
    second = "附件3：申报汇总表.xlsx"
    body = multipart("alternative", "----=_NextPart_alt", [
        text_part("尊敬的市科协：\r\n我单位推荐人选：张三、李四。\r\n衡钢集团人力资源部"),
        text_part("<div>尊敬的市科协：<br>我单位推荐人选：张三、李四。</div>", subtype="html"),
    ])
    raw = multipart("mixed", "----=_NextPart_5F3A", [
        body,
        file_part(DOCX, [b'name="' + folded + b'"'], DOCX_BYTES,
                  [b"Content-Disposition: attachment;", b'filename="' + folded + b'"']),
        file_part(XLSX, [b'name="' + b_word(second) + b'"'], b"xlsx",
                  [b"Content-Disposition: attachment;", b'filename="' + b_word(second) + b'"']),
    ], envelope(b'"' + b_word("衡钢集团人力资源部") + b'" <hr@hysteel.example.cn>',
                b_word("推荐卓越工程师人选材料（衡钢）"), b"X-Mailer: Foxmail 7.2.25.375[cn]",
                "202504081021330001@hysteel.example.cn"))
    return TrickyMessage("foxmail", "Foxmail", raw, [name, second],
                         subject="推荐卓越工程师人选材料（衡钢）", sender_name="衡钢集团人力资源部",
                         body_contains="张三、李四")


def outlook() -> TrickyMessage:
    name = "附件1：申报表-王镕（衡阳市第一人民医院）.docx"  # 镕: GBK-only, labelled gb2312
    lines = rfc2231_continuations("filename", name, "gb2312", 15)
    second = "Attachment 2 – 证明材料.pdf"
    related = multipart("related", "_004_related", [
        text_part("<p>附件请查收。</p><img src=\"cid:image001.png@01DBA8\">", "gb2312", "html"),
        file_part("image/png", [b'name="image001.png"'], PNG_BYTES,
                  [b"Content-Disposition: inline;", b'filename="image001.png";', b"size=95"],
                  [b"Content-ID: <image001.png@01DBA8>"]),
    ])
    raw = multipart("mixed", "_005_mixed", [
        related,
        file_part(DOCX, [b'name="' + b_word(name, "gb2312") + b'"'], DOCX_BYTES,
                  [b"Content-Disposition: attachment;"] + [line + b";" for line in lines[:-1]]
                  + [lines[-1]]),
        file_part("application/pdf", [b"name*=utf-8''" + _percent(second)], b"%PDF-1.4",
                  [b"Content-Disposition: attachment;", b"filename*=utf-8''" + _percent(second)]),
    ], envelope(b_word("刘晓燕", "gb2312") + b" <liuxy@hy-hospital.example.cn>",
                b_word("回复: 卓越工程师推荐材料", "gb2312"),
                b"X-Mailer: Microsoft Outlook 16.0", "AM0PR07MB3522@example.cn"))
    return TrickyMessage("outlook", "Outlook", raw, ["image001.png", name, second],
                         subject="回复: 卓越工程师推荐材料", sender_name="刘晓燕",
                         body_contains="附件请查收")


def _percent(text: str) -> bytes:
    return "".join(ch if ch.isascii() and ch.isalnum() or ch in ".-_" else
                    "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in text).encode()


def webmail163() -> TrickyMessage:
    name = "朱镕喆-身份证复印件.jpg"  # both GBK-only, labelled GB2312, Q-encoded
    raw = multipart("mixed", "----=_Part_88_1517.1744079", [
        text_part("请查收推荐材料。人选：朱镕喆", "GBK"),
        file_part("image/jpeg", [b'name="' + q_word(name) + b'"'], JPEG_BYTES,
                  [b"Content-Disposition: attachment;", b'filename="' + q_word(name) + b'"']),
    ], envelope(b'"' + q_word("衡阳县科协") + b'" <hyxkx@163.com>', q_word("卓越工程师 推荐材料"),
                b"X-Mailer: Coremail Webmail Server Version XT5.0.13 build 20230109",
                "5b1d9c3e.1a2b.19614@163.com"))
    return TrickyMessage("webmail163", "163 webmail", raw, [name], subject="卓越工程师 推荐材料",
                         sender_name="衡阳县科协", body_contains="朱镕喆")


def qq_raw() -> TrickyMessage:
    first = "李四申报表.docx"
    second = "论文-淺析焊接工艺.pdf"  # 淺 is 9C 5C in GBK: a backslash trail byte
    raw = multipart("mixed", "----=_NextPart_67F4A1B2_0C6E", [
        text_part("李四的材料，请查收", "gb18030"),
        file_part(DOCX, [b'name="' + first.encode("gbk") + b'"'], DOCX_BYTES,
                  [b"Content-Disposition: attachment; filename=\"" + first.encode("gbk") + b'"']),
        file_part("application/pdf", [b'name="' + second.encode("gbk") + b'"'], b"%PDF-1.4",
                  [b"Content-Disposition: attachment; filename=\"" + second.encode("gbk") + b'"']),
    ], envelope('"耒阳市科协" <12345678@qq.com>'.encode("gbk"), "李四 申报材料".encode("gbk"),
                b"X-QQ-MIME: TCMime 1.0 by Tencent\r\nX-Mailer: QQMail 2.x",
                "tencent_7F3A@qq.com"))
    return TrickyMessage("qq_raw", "QQ mail (raw 8-bit GBK)", raw, [first, second],
                         subject="李四 申报材料", sender_name="耒阳市科协", body_contains="李四的材料")


def wps_inline() -> TrickyMessage:
    photo = "王五-2寸照片.jpg"
    raw = multipart("related", "=_wps_related", [
        text_part("<p>王五的照片见下：</p><img src=\"cid:wps0001\">", "utf-8", "html"),
        file_part("image/jpeg", [b'name="' + b_word(photo, "UTF-8") + b'"'], JPEG_BYTES, None,
                  [b"Content-ID: <wps0001>"]),
        file_part("image/png", [], PNG_BYTES, None, [b"Content-ID: <wps0002>"]),  # a logo, unnamed
    ], envelope(b_word("衡南县科协", "UTF-8") + b" <hnkx@example.cn>", b_word("王五材料", "UTF-8"),
                b"X-Mailer: WPS Mail", "wps-20250408@example.cn"))
    return TrickyMessage("wps_inline", "WPS", raw, [photo, "未命名附件1.png"],
                         subject="王五材料", sender_name="衡南县科协", body_contains="王五的照片")


def forwarded() -> TrickyMessage:
    inner_subject = "常宁市推荐材料（赵六）"
    inner = multipart("mixed", "inner_b", [
        text_part("推荐人选：赵六，常宁市水利局"),
        file_part(DOCX, [b'name="' + b_word("赵六申报表.docx") + b'"'], DOCX_BYTES,
                  [b"Content-Disposition: attachment;", b'filename="' + b_word("赵六申报表.docx") + b'"']),
        file_part(XLSX, [b'name="' + b_word("汇总表.xlsx") + b'"'], b"xlsx",
                  [b"Content-Disposition: attachment;", b'filename="' + b_word("汇总表.xlsx") + b'"']),
    ], envelope(b_word("常宁市科协") + b" <cnkx@example.cn>", b_word(inner_subject),
                b"X-Mailer: Foxmail 7.2", "inner-1@example.cn"))
    eml_name = inner_subject + ".eml"
    raw = multipart("mixed", "outer_b", [
        text_part("转发常宁市的材料，原邮件见附件。"),
        part([b"Content-Type: message/rfc822;", b'\tname="' + b_word(eml_name) + b'"',
              b"Content-Disposition: attachment;", b'\tfilename="' + b_word(eml_name) + b'"'], inner),
    ], envelope(b_word("市科协学会部") + b" <xhb@example.cn>", b_word("转发: " + inner_subject),
                b"X-Mailer: Foxmail 7.2", "outer-1@example.cn"))
    names = [eml_name, "赵六申报表.docx", "汇总表.xlsx"]
    paths = [eml_name, f"{eml_name}/赵六申报表.docx", f"{eml_name}/汇总表.xlsx"]
    return TrickyMessage("forwarded", "a forwarded message", raw, names, paths,
                         subject="转发: " + inner_subject, sender_name="市科协学会部",
                         body_contains="推荐人选：赵六")


def forwarded_unnamed() -> TrickyMessage:
    inner = multipart("mixed", "in2", [
        text_part("见附件"),
        file_part("application/pdf", [b'name="' + b_word("公示材料.pdf") + b'"'], b"%PDF-1.4",
                  [b"Content-Disposition: attachment;", b'filename="' + b_word("公示材料.pdf") + b'"']),
    ], envelope(b"<a@example.cn>", b_word("公示情况说明"), b"X-Mailer: x", "in2@example.cn"))
    raw = multipart("mixed", "out2", [
        text_part("转发"),
        part([b"Content-Type: message/rfc822"], inner),
    ], envelope(b"<b@example.cn>", b"Fw", b"X-Mailer: x", "out2@example.cn"))
    return TrickyMessage("forwarded_unnamed", "a forwarded message without a name", raw,
                         ["公示情况说明.eml", "公示材料.pdf"],
                         ["公示情况说明.eml", "公示情况说明.eml/公示材料.pdf"], subject="Fw")


def utf8_split() -> TrickyMessage:
    name = "附件2：获奖证书及成果证明材料汇编（孙七）.pdf"
    words = b_words_split(name, "UTF-8", 20)  # cut inside three-byte characters
    raw = multipart("mixed", "b3", [
        text_part("孙七材料", "utf-8"),
        file_part("application/pdf", [b'name="' + b"\r\n ".join(words) + b'"'], b"%PDF-1.4",
                  [b"Content-Disposition: attachment;", b'filename="' + b"\r\n ".join(words) + b'"']),
    ], envelope(b"<c@example.cn>", b" ".join(b_words_split("孙七 推荐材料", "UTF-8", 7)),
                b"X-Mailer: PHPMailer 6.8", "b3@example.cn"))
    return TrickyMessage("utf8_split", "a UTF-8 name split mid-character", raw, [name],
                         subject="孙七 推荐材料", body_contains="孙七材料")


def undecodable() -> TrickyMessage:
    raw = multipart("mixed", "b4", [
        text_part("见附件"),
        file_part(DOCX, [b'name="\xff\xfe\x81\x20.docx"'], DOCX_BYTES,
                  [b'Content-Disposition: attachment; filename="\xff\xfe\x81\x20.docx"']),
    ], envelope(b"<d@example.cn>", b"x", b"X-Mailer: x", "b4@example.cn"))
    return TrickyMessage("undecodable", "a name no charset reads", raw, ["无法识别名称的附件1.docx"],
                         subject="x", problem_contains="附件名无法解码")


def outlook_winmail() -> TrickyMessage:
    tnef = build_tnef([("申报表-钱八.docx", DOCX_BYTES), ("照片.jpg", JPEG_BYTES)], codepage=936)
    raw = multipart("mixed", "_000_tnef", [
        text_part("钱八的材料见附件", "gb2312"),
        file_part("application/ms-tnef", [b'name="winmail.dat"'], tnef,
                  [b"Content-Disposition: attachment;", b'filename="winmail.dat"']),
    ], envelope(b"<e@example.cn>", b_word("钱八材料", "gb2312"),
                b"X-MS-TNEF-Correlator: <x@example.cn>", "tnef1@example.cn"))
    names = ["winmail.dat", "申报表-钱八.docx", "照片.jpg"]
    paths = ["winmail.dat", "winmail.dat/申报表-钱八.docx", "winmail.dat/照片.jpg"]
    return TrickyMessage("outlook_winmail", "Outlook in RTF (winmail.dat)", raw, names, paths,
                         subject="钱八材料", problem_contains="winmail.dat（Outlook TNEF格式）")


def zip_attached() -> TrickyMessage:
    name = "衡阳师范学院推荐材料.zip"
    raw = multipart("mixed", "b5", [
        text_part("材料已打包"),
        file_part("application/x-zip-compressed", [b'name="' + b_word(name) + b'"'],
                  windows_gbk_zip(), [b"Content-Disposition: attachment;",
                                      b'filename="' + b_word(name) + b'"']),
    ], envelope(b"<f@example.cn>", b_word("推荐材料"), b"X-Mailer: Foxmail 7.2", "b5@example.cn"))
    return TrickyMessage("zip_attached", "a zip made on Windows, attached by Foxmail", raw, [name],
                         subject="推荐材料")


def tricky_messages() -> list[TrickyMessage]:
    return [foxmail(), outlook(), webmail163(), qq_raw(), wps_inline(), forwarded(),
            forwarded_unnamed(), utf8_split(), undecodable(), outlook_winmail(), zip_attached()]


# --- TNEF (winmail.dat) -----------------------------------------------------------------


def build_tnef(files: list[tuple[str, bytes]], codepage: int = 936, long_names: bool = False) -> bytes:
    """A minimal TNEF stream as Outlook writes it: 8-bit titles in the OEM code page.

    With ``long_names`` the title is a short 8.3 name and the real name is in the MAPI
    long file name property (UTF-16), as newer Outlook versions write it.
    """
    out = bytearray(b"\x78\x9f\x3e\x22" + struct.pack("<H", 0x1234))
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))
    out += _tnef_attribute(1, 0x00069007, struct.pack("<II", codepage, 0))
    out += _tnef_attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\x00")
    for index, (name, data) in enumerate(files, start=1):
        title = f"ATTACH~{index}{name[name.rfind('.'):][:4]}" if long_names else name
        out += _tnef_attribute(2, 0x00069002, b"\x01\x00\xff\xff\xff\xff" + b"\x00" * 8)
        out += _tnef_attribute(2, 0x00018010, title.encode(f"cp{codepage}") + b"\x00")
        out += _tnef_attribute(2, 0x0006800F, data)
        if long_names:
            out += _tnef_attribute(2, 0x00069005, _mapi_long_name(name))
    return bytes(out)


def _mapi_long_name(name: str) -> bytes:
    """One MAPI property, PR_ATTACH_LONG_FILENAME as PT_UNICODE."""
    value = name.encode("utf-16-le") + b"\x00\x00"
    padded = value + b"\x00" * (-len(value) % 4)
    return struct.pack("<IHHII", 1, 0x001F, 0x3707, 1, len(value)) + padded


def _tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    return struct.pack("<BII", level, attribute, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


# --- archives ---------------------------------------------------------------------------


class LegacyNameInfo(zipfile.ZipInfo):
    """A zip entry whose name bytes are written as given, without the UTF-8 flag."""

    def __init__(self, raw: bytes, **kwargs: object) -> None:
        super().__init__(raw.decode("cp437"), **kwargs)
        self.raw_name = raw

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's hook for name bytes
        return self.raw_name, self.flag_bits & ~0x800


def zip_bytes(entries: list[tuple[zipfile.ZipInfo | str, bytes]],
              compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for info, data in entries:
            if isinstance(info, zipfile.ZipInfo):
                info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


WINDOWS_ZIP_PATHS = {
    # entry path inside the zip -> how it is stored
    "推荐材料/附件1-申报表（张三）.docx": "gbk",
    "推荐材料/附件3-汇总表.xlsx": "gbk",
    "推荐材料/证明材料/获奖证书-朱镕基式.pdf": "gbk",  # 镕: GBK-only
    "推荐材料/照片-张三.jpg": "utf-8 flag",
    "推荐材料/说明.txt": "unicode path field",
}


def windows_gbk_zip() -> bytes:
    """Names as the Windows Explorer and WinRAR write them on a Chinese Windows."""
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = []
    for path, how in WINDOWS_ZIP_PATHS.items():
        if how == "gbk":
            entries.append((LegacyNameInfo(path.encode("gbk")), path.encode()))
        elif how == "utf-8 flag":
            entries.append((path, path.encode()))
        else:
            entries.append((unicode_path_info(path), path.encode()))
    return zip_bytes(entries)


def unicode_path_info(path: str) -> zipfile.ZipInfo:
    """WinRAR style: GBK bytes in the header, the UTF-8 name in extra field 0x7075."""
    raw = path.encode("gbk")
    info = LegacyNameInfo(raw)
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw)) + path.encode("utf-8")
    info.extra = struct.pack("<HH", 0x7075, len(body)) + body
    return info


def nested_zip(depth: int, leaf: str = "申报表.docx") -> bytes:
    """A zip holding a zip … ``depth`` archives in all; the innermost holds ``leaf``."""
    data = zip_bytes([(leaf, DOCX_BYTES)])
    for level in range(depth - 1, 0, -1):
        data = zip_bytes([(f"第{level + 1}层.zip", data), (f"说明{level}.txt", b"x")])
    return data


def seven_zip(entries: list[tuple[str, bytes]], password: str | None = None,
              encrypt_names: bool = False) -> bytes:
    import py7zr

    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w", password=password,
                            header_encryption=encrypt_names) as archive:
        for name, data in entries:
            archive.writestr(data, name)
    return buffer.getvalue()


# RAR 4: a marker block, the archive header, then a header and the stored bytes per file.
RAR_MARKER = b"Rar!\x1a\x07\x00"
RAR_UNICODE = 0x0200
RAR_PASSWORD = 0x0004
RAR_DIRECTORY = 0x00E0
RAR_MAIN_PASSWORD = 0x0080


@dataclass
class RarEntry:
    name: str
    data: bytes = b""
    encoding: str = "utf-8"  # "utf-8": Unicode flag; "gbk": the creator's code page, no flag
    encrypted: bool = False
    symlink: bool = False
    directory: bool = False


def stored_rar(entries: list[RarEntry], encrypted_headers: bool = False) -> bytes:
    """A RAR 4 archive with stored (uncompressed) entries, as ``rar a -m0`` writes it."""
    main_flags = RAR_MAIN_PASSWORD if encrypted_headers else 0
    out = bytearray(RAR_MARKER + _rar_block(0x73, main_flags, b"\x00" * 6))
    if encrypted_headers:
        return bytes(out)
    for entry in entries:
        out += _rar_file_block(entry)
    out += _rar_block(0x7B, 0x4000, b"")
    return bytes(out)


def _rar_file_block(entry: RarEntry) -> bytes:
    name = entry.name.replace("/", "\\").encode("utf-8" if entry.encoding == "utf-8" else "gbk")
    flags = 0x8000
    if entry.encoding == "utf-8" and not entry.name.isascii():
        flags |= RAR_UNICODE
    if entry.encrypted:
        flags |= RAR_PASSWORD
    if entry.directory:
        flags |= RAR_DIRECTORY
    host_os, mode = (3, 0o120777) if entry.symlink else (2, 0x20)
    data = entry.data
    fields = struct.pack("<IIBIIBBHI", len(data), len(data), host_os, zlib.crc32(data),
                         0x5A884E00, 20, 0x30, len(name), mode)
    return _rar_block(0x74, flags, fields + name) + data


def _rar_block(kind: int, flags: int, body: bytes) -> bytes:
    head = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head
