"""Every charset guess of the project, in one place: labels, code pages, and bytes without either.

Mail clients, zip tools and Outlook's winmail.dat all hand over bytes whose charset is
either named by a label (``charset=gb2312``, ``=?GBK?B?…?=``, a TNEF code page) or not
named at all (raw 8-bit header bytes, zip names without the UTF-8 flag, a ``.txt`` file).
The rules here decide what those bytes say:

- **Labels** are mapped to Python's codecs with the names clients really write, also the
  ones Python's registry does not know (``windows-874``, ``x-gbk``, ``gb_2312-80``,
  ``ks_c_5601-1987``, ``unicode-1-1-utf-7``, …; see ``LABELS``). Every label of the GB
  family is read as GB18030, a superset of GB2312 and GBK, so a ``gb2312`` label on
  GBK-only characters (镕, 喆) still decodes.
- A label that lies is caught where it is cheap to tell: a GB label on UTF-8 text, a
  Latin label on UTF-8 or on GBK made of common characters.
- **GB18030 is never a blind fallback**: bytes are read as GB18030 without a label saying
  so only when the text that comes out looks Chinese (``looks_chinese``). Thai bytes under
  an unknown label, or Latin-1 bytes, do not become a row of rare hanzi.
- A name **cut in the middle of a character** (a client that truncates long headers)
  keeps its valid part: the one incomplete character is dropped, the rest decoded.
- **Zip and RAR names** without a Unicode flag: UTF-8 per entry, else the archive's legacy
  code page, GB18030 unless the names read as Japanese (cp932) and not as Chinese.

    >>> codec_for_label("x-gbk"), codec_for_label("windows-874"), codec_for_label("ks_c_5601-1987")
    ('gb18030', 'cp874', 'cp949')
    >>> decode_labelled("梁祐晟".encode("gbk"), "gb2312")
    ('梁祐晟', True)
    >>> decode_unlabelled("申报表.docx".encode("utf-8")[:-6])  # cut inside 表
    ('申报', False)
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable

# Labels clients write that Python's codec registry does not know, or knows wrongly
# (Microsoft's ks_c_5601-1987 is code page 949, a superset of the EUC-KR Python gives).
# Keys are lower case; "_" and "-" are both written, so both are listed where clients use both.
LABELS: dict[str, str] = {
    # Chinese, simplified: every label of the GB family reads as GB18030
    **dict.fromkeys(
        ("gb2312", "gb_2312", "gb_2312-80", "gb2312-80", "gb231280", "gbk", "x-gbk", "cp936",
         "ms936", "windows-936", "x-cp936", "cp20936", "x-cp20936", "euc-cn", "euccn",
         "x-euc-cn", "csgb2312", "csgb231280", "gb18030", "x-gb18030", "gb-18030",
         "gb18030-2000", "gb18030-2005", "chinese", "iso-ir-58", "csiso58gb231280",
         "x-mac-chinesesimp", "gbk2312"), "gb18030"),
    "hz-gb-2312": "hz",
    # Chinese, traditional
    "x-x-big5": "big5", "cn-big5": "big5", "x-big5": "big5", "big-5": "big5",
    "x-mac-chinesetrad": "big5", "big5-hkscs": "big5hkscs", "x-euc-tw": "big5",
    # Japanese
    "x-sjis": "cp932", "sjis": "cp932", "shift-jis": "cp932", "shift_jis": "cp932",
    "windows-31j": "cp932", "ms_kanji": "cp932", "csshiftjis": "cp932", "x-ms-cp932": "cp932",
    "x-mac-japanese": "cp932", "x-euc-jp": "euc_jp", "_iso-2022-jp$esc": "iso2022_jp",
    "_iso-2022-jp$sio": "iso2022_jp",
    # Korean
    "ks_c_5601-1987": "cp949", "ks_c_5601-1989": "cp949", "ks_c_5601": "cp949",
    "ksc_5601": "cp949", "ksc5601": "cp949", "iso-ir-149": "cp949", "csksc56011987": "cp949",
    "korean": "cp949", "windows-949": "cp949", "x-windows-949": "cp949", "uhc": "cp949",
    "euc-kr": "cp949", "x-mac-korean": "cp949",
    # Thai, Vietnamese, Cyrillic, Hebrew, Arabic
    "windows-874": "cp874", "x-windows-874": "cp874", "dos-874": "cp874", "tis-620": "cp874",
    "iso-8859-11": "cp874", "windows-1258": "cp1258", "koi8-ru": "koi8-u",
    "iso-8859-8-i": "iso8859-8", "iso-8859-8-e": "iso8859-8", "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6", "visual": "iso8859-8", "logical": "iso8859-8",
    # Western
    "x-mac-roman": "mac-roman", "x-user-defined": "cp1252", "x-ansi": "cp1252",
    "cp-850": "cp850",
    # Unicode, as old clients and Outlook label it
    "unicode-1-1-utf-7": "utf-7", "unicode-2-0-utf-7": "utf-7", "x-unicode-2-0-utf-7": "utf-7",
    "csunicode11utf7": "utf-7", "unicode-1-1-utf-8": "utf-8", "unicode-2-0-utf-8": "utf-8",
    "x-unicode-2-0-utf-8": "utf-8", "utf8": "utf-8", "x-utf-8": "utf-8", "unicode": "utf-16",
    "unicodefffe": "utf-16-be", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
}
# Supersets tried when a labelled codec decodes with errors.
SUPERSETS = {"big5": ["big5hkscs", "cp950"], "cp950": ["big5hkscs"],
             "shift_jis": ["cp932"], "euc_kr": ["cp949"], "ascii": ["utf-8"],
             "iso8859-1": ["cp1252"], "latin-1": ["cp1252"]}
# Charsets worth trying on unlabelled 8-bit bytes: multi-byte ones reject wrong input.
CJK_HINTS = {"big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr",
             "cp949", "gb18030"}
LATIN_CODECS = {"iso8859-1", "latin-1", "cp1252", "iso8859-15"}
# Windows code pages (TNEF attributes) whose Python codec is not named cp<number>.
CODEPAGES = {936: "gb18030", 20936: "gb18030", 54936: "gb18030", 950: "big5hkscs",
             932: "cp932", 949: "cp949", 65001: "utf-8", 20127: "ascii", 20866: "koi8-r",
             21866: "koi8-u", 874: "cp874", 65000: "utf-7", 1200: "utf-16-le",
             1201: "utf-16-be", 10000: "mac-roman", **{28590 + n: f"iso8859-{n}" for n in range(1, 16)}}
MAX_CUT = 3  # bytes of one character left behind when a name is cut inside it (UTF-8: 3)


# --- labels -----------------------------------------------------------------------------


def codec_for_label(label: str | None) -> str | None:
    """Python's codec name for a charset label as clients write it; None when unknown."""
    if not label:
        return None
    label = label.strip().strip('"').strip("'").lower()
    if label in LABELS:
        return LABELS[label]
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # unknown, or not a name at all (NUL bytes)
        return None
    return "gb18030" if name in ("gb2312", "gbk") else name


def codec_for_codepage(codepage: int) -> str:
    """The codec of a Windows code page number (Outlook's TNEF streams); may be unknown."""
    return CODEPAGES.get(codepage, f"cp{codepage}")


# --- what text looks like ---------------------------------------------------------------


def in_gb2312(ch: str) -> bool:
    """In GB2312: what Chinese text (and names typed on a Chinese Windows) mostly uses."""
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x3000 <= code <= 0x303F or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or 0x2010 <= code <= 0x2027)


def looks_chinese(text: str) -> bool:
    """Text a GB18030 reading may be trusted for: its non-ASCII characters are all CJK, and
    common ones (GB2312) but for one rare character among two or more, or two in five.

    >>> looks_chinese("朱镕基申报表"), looks_chinese("M" + b"\\xe9t".decode("gb18030") + "ier")
    (True, False)

    (The second is Latin-1 "Métier" read as GBK.) Only a heuristic: Thai bytes read as GBK
    give common hanzi, which is why a ``windows-874`` label must be known (``LABELS``).
    """
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide or not all(_cjk(ch) for ch in wide):
        return False
    rare = sum(1 for ch in wide if not in_gb2312(ch))
    return rare == 0 or (rare == 1 and len(wide) > 1) or rare <= 0.4 * len(wide)


def is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_cjk(data: bytes) -> bool:
    """Valid UTF-8 whose non-ASCII characters are all CJK (GBK bytes almost never are)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F]
    return bool(wide) and all(0x2E80 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFFEF
                              for ch in wide)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _gb18030_if_chinese(data: bytes) -> str | None:
    text = _strict(data, "gb18030")
    return text if text is not None and looks_chinese(text) else None


# Multi-byte codecs, where a character can be cut; and the first bytes of a character in
# each (only a lead byte left alone, with at most its first trail bytes, is a cut character).
MULTIBYTE = CJK_HINTS | {"utf-8"}


def _is_lead(codec: str, byte: int) -> bool:
    return 0xC2 <= byte <= 0xF4 if codec == "utf-8" else 0x81 <= byte <= 0xFE


def decode_cut(data: bytes, codec: str) -> str | None:
    """The text of bytes that are valid in ``codec`` except one character cut short (its
    first bytes left, at most ``MAX_CUT``, at the end or before plain ASCII such as the
    extension a client put back), that character dropped; None otherwise.

    >>> decode_cut("张三.doc".encode("gbk")[:3] + b".doc", "gb18030")
    '张.doc'
    >>> decode_cut(b"\\xff\\xfe\\xfd", "utf-8") is None
    True
    """
    if codec not in MULTIBYTE:
        return None
    try:
        data.decode(codec)
        return None  # not cut: nothing to repair
    except UnicodeDecodeError as error:
        start, end = error.start, error.end
    if end - start > MAX_CUT or not _is_lead(codec, data[start]):
        return None
    if end < len(data) and data[end] >= 0x80:
        return None  # garbage in the middle, not a character cut short
    head, tail = _strict(data[:start], codec), _strict(data[end:], codec)
    if head is None or tail is None or (head + tail).isascii():
        return None  # no whole character of the codec left: a Latin-1 "é", not a cut one
    return head + tail


# --- decoding ---------------------------------------------------------------------------


def decode_labelled(data: bytes, label: str | None) -> tuple[str, bool]:
    """Bytes that came with a charset label, and whether they decoded cleanly.

    The label's codec, its supersets, then UTF-8; GB18030 only for text that looks
    Chinese; a character cut at the end dropped. What none of these reads comes out with
    U+FFFD and ``False``.
    """
    codec = codec_for_label(label)
    if codec == "gb18030" and _is_utf8_cjk(data):
        return data.decode("utf-8"), True  # a GB label on UTF-8 text: the label lies
    if codec in LATIN_CODECS and not data.isascii():
        relabelled = _relabelled_latin(data)  # a Latin label on UTF-8 or GBK: it lies too
        if relabelled is not None:
            return relabelled, True
    tried = [codec] if codec else []
    for candidate in dict.fromkeys(tried + SUPERSETS.get(codec or "", []) + ["utf-8"]):
        text = _strict(data, candidate)
        if text is not None:
            return text, True
    text = _gb18030_if_chinese(data)
    if text is not None:
        return text, True
    for candidate in dict.fromkeys([*tried, "utf-8"]):
        text = decode_cut(data, candidate)
        if text is not None:
            return text, False
    return data.decode(codec or "utf-8", errors="replace"), False


def decode_unlabelled(data: bytes, hints: Iterable[str] = ()) -> tuple[str, bool]:
    """Raw bytes without a label, and whether they decoded cleanly: ASCII, UTF-8, UTF-8 with
    a cut character, the CJK charsets the message declares (``hints``), GB18030 for text
    that looks Chinese, the same with a cut character; else U+FFFD and ``False``."""
    hints = list(dict.fromkeys(hints))  # a GB charset the message declares is trusted
    for candidate in ("ascii", "utf-8"):
        text = _strict(data, candidate)
        if text is not None:
            return text, True
    cut = decode_cut(data, "utf-8")
    if cut is not None:
        return cut, False
    for candidate in hints:
        text = _strict(data, candidate)
        if text is not None:
            return text, True
    text = _gb18030_if_chinese(data)
    if text is not None:
        return text, True
    for candidate in dict.fromkeys([*hints, "gb18030"]):
        cut = decode_cut(data, candidate)
        if cut is not None and (candidate in hints or looks_chinese(cut)):
            return cut, False
    return data.decode("utf-8", errors="replace"), False


def _relabelled_latin(data: bytes) -> str | None:
    """Latin-labelled bytes that are really UTF-8, or GBK made of common GB2312 characters."""
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    text = _strict(data, "gb18030")
    if text is None:
        return None
    wide = [ch for ch in text if ord(ch) > 0x7F]
    common = sum(1 for ch in wide if in_gb2312(ch) and 0x3000 <= ord(ch) <= 0x9FFF)
    return text if wide and common >= 0.8 * len(wide) else None


def decode_first(raw: bytes, candidates: Iterable[str]) -> str | None:
    """The first strict decoding among ``candidates``; None when none reads the bytes."""
    for codec in dict.fromkeys(candidates):
        text = _strict(raw, codec)
        if text is not None:
            return text
    return None


def decode_with_codepage(raw: bytes, codec: str) -> str:
    """Bytes written in a declared code page (a TNEF stream's): UTF-8 first (Outlook writes
    it under any code page), the code page, then GB18030 for Chinese text; "" if none."""
    text = decode_first(raw, ["utf-8", codec])
    if text is None:
        text = _gb18030_if_chinese(raw)
    return text or ""


def decode_text_file(data: bytes) -> str:
    """A .txt file's text: a byte-order mark is honoured, else UTF-8, else GB18030.

    Chinese Windows tools write GBK/GB18030 without any mark; GB18030 decodes almost every
    byte sequence, so nothing is refused (a stray byte becomes U+FFFD).

    >>> decode_text_file("个人简介".encode("gb18030")), decode_text_file("个人简介".encode("utf-8-sig"))
    ('个人简介', '个人简介')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    text = _strict(data, "utf-8")
    return text if text is not None else data.decode("gb18030", errors="replace")


# --- archive names ----------------------------------------------------------------------


def decode_legacy_names(raws: list[bytes]) -> list[str | None]:
    """Names without a UTF-8 flag: UTF-8 per entry, else the archive's legacy code page.

    The code page is GB18030 unless the names read as Japanese (cp932) and not as
    Chinese. None for a name no code page reads.
    """
    legacy = [raw for raw in raws if not is_utf8(raw)]
    codec = legacy_codec(legacy)
    names: list[str | None] = []
    for raw in raws:
        if is_utf8(raw):
            names.append(raw.decode("utf-8"))
            continue
        names.append(_first_clean_decoding(raw, [codec, "gb18030", "cp932"]))
    return names


def legacy_codec(raws: list[bytes]) -> str:
    """'cp932' when the names read as Japanese and not as Chinese, else 'gb18030'."""
    chinese = [_first_clean_decoding(raw, ["gb18030"]) for raw in raws]
    japanese = [_first_clean_decoding(raw, ["cp932"]) for raw in raws]
    if not raws or any(text is None for text in japanese):
        return "gb18030"
    chinese_score = _share(chinese, in_gb2312)
    japanese_score = _share(japanese, _common_japanese)
    return "cp932" if japanese_score >= 0.5 and japanese_score > chinese_score else "gb18030"


def _first_clean_decoding(raw: bytes, candidates: list[str]) -> str | None:
    """The first strict decoding that gives no private-use or control characters."""
    for codec in dict.fromkeys(candidates):
        text = _strict(raw, codec)
        if text is not None and not re.search("[\x00-\x1f\x7f\ue000-\uf8ff]", text):
            return text
    return None


def _share(texts: list[str | None], common: Callable[[str], bool]) -> float:
    wide = [ch for text in texts if text for ch in text if ord(ch) > 0x7F]
    return sum(map(common, wide)) / len(wide) if wide else 0.0


def _common_japanese(ch: str) -> bool:
    """Kana, symbols or JIS level-1 kanji (Shift-JIS lead bytes 0x81-0x98)."""
    try:
        encoded = ch.encode("cp932")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0x81 <= encoded[0] <= 0x98
