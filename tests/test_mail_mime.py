"""MIME unpacking: real messages from other projects, messages built the way Chinese
clients build them, and the name-decoding traps one by one."""

from __future__ import annotations

import base64
import email
import json
from email.policy import compat32
from email.policy import default as default_policy

import pytest

from extractors.mail.archives import unpack_archive
from extractors.mail.mime import (
    Attachment,
    MailMessage,
    attachment_name,
    decode_header_value,
    param_value,
    parse_bytes,
    parse_params,
    read_message,
)
from extractors.mail.tnef import read_tnef
from pipeline.model.reasons import reason_text
from tests.builders.tricky_mail import (
    DOCX_BYTES,
    WINDOWS_ZIP_PATHS,
    b_word,
    build_tnef,
    file_part,
    multipart,
    part,
    text_part,
    tricky_messages,
)
from tests.paths import SHARED

REALWORLD = SHARED / "realworld"
EXPECTED = json.loads((REALWORLD / "expected-attachment-names.json").read_text(encoding="utf-8"))
REAL_MESSAGES = sorted(p.name for p in (REALWORLD / "mail").glob("*.eml"))
TRICKY = {m.key: m for m in tricky_messages()}


def leaf_count(raw: bytes) -> int:
    """Leaf parts as Python's own parser sees them (message/rfc822 is a container)."""
    message = email.message_from_bytes(raw, policy=default_policy)
    return sum(1 for part in message.walk() if not part.is_multipart())


def assert_nothing_dropped(raw: bytes, message: MailMessage) -> None:
    leaves = [a for a in message.attachments if a.origin == "part"]
    assert message.leaf_parts == leaf_count(raw)
    assert message.leaf_parts == message.body_parts + len(leaves)


def assert_clean_names(message: MailMessage) -> None:
    for attachment in message.attachments:
        assert "\ufffd" not in attachment.name and "\ufffd" not in attachment.path
        assert attachment.name and "/" not in attachment.name


# --- the real messages ------------------------------------------------------------------


def test_every_real_message_is_listed_in_the_expectations() -> None:
    assert REAL_MESSAGES and set(REAL_MESSAGES) <= set(EXPECTED)


@pytest.mark.parametrize("file_name", REAL_MESSAGES)
def test_real_message_gives_the_expected_names(file_name: str) -> None:
    raw = (REALWORLD / "mail" / file_name).read_bytes()
    message = read_message(raw)
    assert [a.name for a in message.attachments] == EXPECTED[file_name]
    assert_clean_names(message)


@pytest.mark.parametrize("file_name", REAL_MESSAGES)
def test_real_message_drops_no_part(file_name: str) -> None:
    raw = (REALWORLD / "mail" / file_name).read_bytes()
    assert_nothing_dropped(raw, read_message(raw))


@pytest.mark.parametrize("file_name", sorted(EXPECTED["_headers"]))
def test_real_message_headers_decode_as_a_person_reads_them(file_name: str) -> None:
    expected = EXPECTED["_headers"][file_name]
    message = read_message((REALWORLD / "mail" / file_name).read_bytes())
    if "subject" in expected:
        assert message.subject == expected["subject"]
    if "from_display" in expected:
        assert message.sender_name == expected["from_display"]
    assert "\ufffd" not in message.subject + message.sender


def test_gb2312_label_on_gbk_bytes_in_the_to_header() -> None:
    raw = (REALWORLD / "mail" / "kopano-gb2312_18030.eml").read_bytes()
    to = email.message_from_bytes(raw)["To"]
    display = to.split("<")[0].strip().strip("'")
    assert decode_header_value(display) == "林慶美"


def test_gb18030_body_is_kept_as_text() -> None:
    message = read_message((REALWORLD / "mail" / "letters-gb18030-multipart-mixed.eml").read_bytes())
    assert message.body_text.startswith("石室诗士施氏")
    assert message.sender_name == "艾莉絲 发件人"


def test_nested_message_is_kept_whole_and_opened() -> None:
    message = read_message((REALWORLD / "mail" / "rspamd-alternative-nested-rfc822.eml").read_bytes())
    nested = message.attachments[1]
    assert (nested.origin, nested.content_type) == ("message", "message/rfc822")
    assert email.message_from_bytes(nested.data)["Subject"] == "Inner message"
    assert "plain text version of the inner message" in message.body_text
    assert "HTML only content" in message.body_text


def test_winmail_dat_is_kept_and_reported() -> None:
    message = read_message((REALWORLD / "mail" / "mimekit-outlook-tnef-winmail.eml").read_bytes())
    assert message.attachments[0].content_type == "application/ms-tnef"
    assert any(reason_text(p).startswith("winmail.dat（Outlook TNEF格式）") for p in message.problems)
    assert "шостий" in message.body_text  # koi8-r


def test_raw_8bit_utf8_name_and_crlf() -> None:
    message = read_message((REALWORLD / "mail" / "enmime-raw-8bit-utf8-filename.eml").read_bytes())
    assert message.attachments[0].name == "管理.doc"
    assert message.attachments[0].data == b"<html>\n"


# --- messages built the way the clients build them --------------------------------------


@pytest.mark.parametrize("key", sorted(TRICKY))
def test_tricky_message_gives_its_names_and_paths(key: str) -> None:
    built = TRICKY[key]
    message = read_message(built.raw)
    assert [a.name for a in message.attachments] == built.names
    assert [a.path for a in message.attachments] == (built.paths or built.names)
    assert_clean_names(message)


@pytest.mark.parametrize("key", sorted(TRICKY))
def test_tricky_message_drops_no_part(key: str) -> None:
    built = TRICKY[key]
    assert_nothing_dropped(built.raw, read_message(built.raw))


@pytest.mark.parametrize("key", sorted(TRICKY))
def test_tricky_message_headers_body_and_problems(key: str) -> None:
    built = TRICKY[key]
    message = read_message(built.raw)
    assert message.subject == built.subject
    if built.sender_name:
        assert message.sender_name == built.sender_name
    assert built.body_contains in message.body_text
    if built.problem_contains:
        assert any(built.problem_contains in reason_text(p) for p in message.problems)
    else:
        assert message.problems == []


def test_the_builders_reproduce_the_traps_of_the_email_package() -> None:
    """Python's default policy gets these wrong; read_message must not."""
    for key in ("foxmail", "outlook", "webmail163", "qq_raw"):
        parsed = email.message_from_bytes(TRICKY[key].raw, policy=default_policy)
        names = [p.get_filename() or "" for p in parsed.walk() if not p.is_multipart()]
        assert any("\ufffd" in name for name in names), key


def test_attachment_bytes_survive() -> None:
    message = read_message(TRICKY["foxmail"].raw)
    assert message.attachments[0].data == DOCX_BYTES
    assert message.attachments[0].content_type.endswith("wordprocessingml.document")


def test_inline_pictures_are_attachments() -> None:
    message = read_message(TRICKY["wps_inline"].raw)
    assert all(a.inline for a in message.attachments)
    assert [a.content_type for a in message.attachments] == ["image/jpeg", "image/png"]


def test_files_inside_winmail_dat_come_out() -> None:
    message = read_message(TRICKY["outlook_winmail"].raw)
    inside = [a for a in message.attachments if a.origin == "tnef"]
    assert [a.name for a in inside] == ["申报表-钱八.docx", "照片.jpg"]
    assert inside[0].data == DOCX_BYTES


def test_tnef_long_file_names_win_over_short_titles() -> None:
    data = build_tnef([("附件1：申报表（孙七）.docx", DOCX_BYTES)], long_names=True)
    outcome = read_tnef(data)
    assert [(f.name, f.data) for f in outcome.files] == [("附件1：申报表（孙七）.docx", DOCX_BYTES)]
    assert outcome.files[0].content_type.endswith("wordprocessingml.document")


def test_damaged_tnef_keeps_what_came_before_the_damage() -> None:
    data = build_tnef([("申报表.docx", DOCX_BYTES), ("照片.jpg", b"jpeg" * 100)])
    outcome = read_tnef(data[:-50])
    assert [f.name for f in outcome.files] == ["申报表.docx", "照片.jpg"]
    assert [f.data for f in outcome.files] == [DOCX_BYTES, b""]  # the photo's bytes were cut off
    assert any("不完整" in reason_text(p) for p in outcome.problems)


def test_tnef_html_body_in_its_own_code_page() -> None:
    message = read_message((REALWORLD / "mail" / "mimekit-outlook-tnef-winmail.eml").read_bytes())
    assert "шостий" in read_tnef(message.attachments[0].data).html_body  # koi8-r, cpid 20866


def test_zip_attachment_unpacks_with_its_windows_names() -> None:
    message = read_message(TRICKY["zip_attached"].raw)
    attachment = message.attachments[0]
    outcome = unpack_archive(attachment.path, attachment.data)
    assert outcome.failure is None
    assert [f.path for f in outcome.files] == [f"{attachment.name}/{p}" for p in WINDOWS_ZIP_PATHS]


def test_forwarded_body_is_kept_under_its_subject() -> None:
    message = read_message(TRICKY["forwarded"].raw)
    assert message.body_text.startswith("转发常宁市的材料")
    assert "——转发邮件：常宁市推荐材料（赵六）——" in message.body_text


# --- odd structures ---------------------------------------------------------------------


def _envelope() -> list[bytes]:
    return [b"From: <a@example.cn>", b"Subject: t", b"Mime-Version: 1.0"]


def test_base64_encoded_message_rfc822_is_opened() -> None:
    inner = multipart("mixed", "in", [
        text_part("内层正文"),
        file_part("application/pdf", [b'name="' + b_word("证书.pdf") + b'"'], b"%PDF", None),
    ], [b"Subject: " + b_word("内层")])
    raw = multipart("mixed", "out", [
        part([b"Content-Type: message/rfc822", b"Content-Transfer-Encoding: base64"],
             base64.encodebytes(inner).replace(b"\n", b"\r\n")),
    ], _envelope())
    message = read_message(raw)
    assert [a.path for a in message.attachments] == ["内层.eml", "内层.eml/证书.pdf"]
    assert "内层正文" in message.body_text


def test_nested_message_without_a_name_is_named_after_its_subject() -> None:
    inner = multipart("mixed", "in", [text_part("x")], [b"Subject: " + b_word("衡阳/常宁: 材料?")])
    raw = multipart("mixed", "out", [part([b"Content-Type: message/rfc822"], inner)], _envelope())
    assert [a.name for a in read_message(raw).attachments] == ["衡阳_常宁_ 材料.eml"]


def test_eml_sent_as_octet_stream_is_opened() -> None:
    inner = multipart("mixed", "in", [
        text_part("x"),
        file_part("application/pdf", [b'name="a.pdf"'], b"%PDF", None),
    ], [b"From: <x@example.cn>", b"Subject: y"])
    raw = multipart("mixed", "out", [
        file_part("application/octet-stream", [b'name="' + b_word("原邮件.eml") + b'"'], inner,
                  [b"Content-Disposition: attachment"]),
    ], _envelope())
    message = read_message(raw)
    assert [a.path for a in message.attachments] == ["原邮件.eml", "原邮件.eml/a.pdf"]


def test_broken_winmail_dat_is_kept_with_a_reason() -> None:
    raw = multipart("mixed", "b", [
        file_part("application/ms-tnef", [b'name="winmail.dat"'], b"\x78\x9f\x3e\x22\x00", None),
    ], _envelope())
    message = read_message(raw)
    assert [a.name for a in message.attachments] == ["winmail.dat"]
    assert any("无法读取" in reason_text(p) for p in message.problems)


def test_text_part_marked_as_attachment_is_an_attachment() -> None:
    raw = multipart("mixed", "b", [
        text_part("正文"),
        part([b"Content-Type: text/plain; charset=utf-8", b"Content-Disposition: attachment"],
             "名单".encode()),
    ], _envelope())
    message = read_message(raw)
    assert [a.name for a in message.attachments] == ["未命名附件1.txt"]
    assert message.body_text == "正文"


def test_empty_and_headerless_input_still_reads() -> None:
    assert read_message(b"").attachments == []
    assert read_message(b"just text").body_text == "just text"


# --- the decoding traps one by one ------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("=?gb2312?B?yuzpRi5kb2N4?=", "熟镕.docx"),  # GBK-only 镕 under a gb2312 label (B)
    ("=?GB2312?Q?=D6=EC=E9F=86=B4.pdf?=", "朱镕喆.pdf"),  # the same in Q, with 喆
    ("=?GBK?B?1cXI/Q==?= =?GBK?B?yerH6w==?=", "张三申请"),  # whitespace between words dropped
    ("=?GBK?B?1cXI?= =?GBK?B?/Q==?=", "张三"),  # a character split across two words
    ("=?GBK?B?1cXI/Q==?=.docx", "张三.docx"),  # a word followed by plain text
    ("报名 =?UTF-8?B?6KGo?=", "报名 表"),  # plain text, then a word
    ("=?utf-8*zh-cn?B?6KGo?=", "表"),  # RFC 2231 language in the label
    ("=?gb2312?B?5byg5LiJ?=", "张三"),  # a GB label on UTF-8 bytes: the label lies
    ("=?x-unknown?B?5byg5LiJ?=", "张三"),  # an unknown label
    ("=?GBK?B?1cXI/Q?=", "张三"),  # missing base64 padding
    ("=?gbk?Q?=D5=C5_=C8=FD?=", "张 三"),  # underscore is a space in Q
    ("=?iso-8859-1?B?1cXI/S5kb2M=?=", "张三.doc"),  # a Latin label on GBK bytes
    ("=?iso-8859-1?Q?=E5=BC=A0=E4=B8=89.doc?=", "张三.doc"),  # a Latin label on UTF-8 bytes
    ("=?iso-8859-1?Q?M=FCller_Stra=DFe.doc?=", "Müller Straße.doc"),  # real Latin-1 stays
    ("=?iso-8859-1?Q?R=E9sum=E9.pdf?=", "Résumé.pdf"),
])
def test_encoded_words(value: str, expected: str) -> None:
    assert decode_header_value(value) == expected


def test_raw_8bit_bytes_utf8_first_then_gb18030() -> None:
    assert decode_header_value("张三.docx".encode("utf-8")) == "张三.docx"
    assert decode_header_value("张三.docx".encode("gbk")) == "张三.docx"
    surrogate_escaped = "张三.docx".encode("gbk").decode("ascii", "surrogateescape")
    assert decode_header_value(surrogate_escaped) == "张三.docx"


def test_raw_8bit_bytes_follow_a_cjk_charset_the_message_declares() -> None:
    assert decode_header_value("養樂多".encode("big5"), hints=["big5"]) == "養樂多"


def test_undecodable_bytes_show_as_replacement_for_the_caller_to_catch() -> None:
    assert "\ufffd" in decode_header_value(b"\xff\xfe")


def _name(headers: bytes) -> str | None:
    raw = headers + b"\r\n\r\nx"
    return attachment_name(email.message_from_bytes(raw))


@pytest.mark.parametrize("headers, expected", [
    # Foxmail: an encoded word inside the quotes
    (b'Content-Disposition: attachment; filename="=?GBK?B?1cXI/S5kb2N4?="', "张三.docx"),
    # RFC 2231 with a charset and a language
    (b"Content-Disposition: attachment; filename*=gbk'zh-cn'%D5%C5%C8%FD.docx", "张三.docx"),
    # RFC 2231 value in quotes (QQ mail)
    (b"Content-Disposition: attachment; filename*=\"UTF-8''%E5%BC%A0%E4%B8%89.pdf\"", "张三.pdf"),
    # continuations: extended, then plain
    (b"Content-Disposition: attachment;\r\n filename*0*=gb2312''%D6%EC%E9F;\r\n filename*1=\".docx\"",
     "朱镕.docx"),
    # continuations out of order
    (b"Content-Disposition: attachment; filename*1*=%C8%FD.doc; filename*0*=gbk''%D5%C5", "张三.doc"),
    # encoded words split over plain continuations
    (b'Content-Disposition: attachment; filename*0="=?GBK?B?1cXI"; filename*1="/S5kb2N4?="',
     "张三.docx"),
    # filename wins over name; name used when there is no filename
    (b'Content-Type: application/pdf; name="a.pdf"\r\nContent-Disposition: attachment; filename="b.pdf"',
     "b.pdf"),
    (b'Content-Type: application/pdf; name="=?UTF-8?B?6KGo?=.pdf"', "表.pdf"),
    # an old client's full Windows path
    (b'Content-Disposition: attachment; filename="C:\\\\Users\\\\hr\\\\a.doc"', "a.doc"),
    # no name at all
    (b"Content-Type: application/pdf", None),
])
def test_attachment_name(headers: bytes, expected: str | None) -> None:
    assert _name(headers) == expected


def test_a_gbk_trail_byte_0x5c_before_the_closing_quote() -> None:
    raw = b'attachment; filename="' + "工程淺".encode("gbk") + b'"; size=10'
    main, params = parse_params(raw)
    assert main == "attachment"
    assert param_value(params, "filename") == ("工程淺", True)
    assert params["size"] == b"10"


def test_ascii_quoted_values_honour_backslash_escapes() -> None:
    _, params = parse_params(b'attachment; filename="a \\"b\\".txt"')
    assert param_value(params, "filename") == ('a "b".txt', True)


def test_a_clean_name_beats_an_undecodable_one() -> None:
    headers = (b'Content-Type: application/pdf; name="=?UTF-8?B?6KGo?=.pdf"\r\n'
               b'Content-Disposition: attachment; filename="\xff\xfe.pdf"')
    assert _name(headers) == "表.pdf"


def test_each_attachment_carries_its_part_headers_decoded() -> None:
    raw = multipart("mixed", "b", [
        file_part("application/pdf", [b'name="a.pdf"'], b"%PDF", None,
                  [b"X-Intake-Folder-Path: " + b_word("张三/证书.pdf", "UTF-8")]),
    ], _envelope())
    headers = read_message(raw).attachments[0].headers
    assert headers["X-Intake-Folder-Path"] == "张三/证书.pdf"
    assert headers["Content-Type"].startswith("application/pdf")


def test_attachment_record_defaults_its_path_to_its_name() -> None:
    assert Attachment("a.pdf", b"").path == "a.pdf"


def _stock_and_ours(raw: bytes):
    """The message parsed by the stock ``email.feedparser`` and by ``parse_bytes``."""
    import email.feedparser
    import re

    from extractors.mail.line_ends import PATTERN

    parser_globals = vars(email.feedparser)
    kept = parser_globals["NLCRE_eol"]
    parser_globals["NLCRE_eol"] = re.compile(PATTERN)
    try:
        stock = email.message_from_bytes(raw, policy=compat32)
    finally:
        parser_globals["NLCRE_eol"] = kept
    return stock, parse_bytes(raw)


def _tree(message) -> list:
    """Every part's type, preamble, epilogue and raw payload, in order."""
    return [(part.get_content_type(), part.preamble, part.epilogue,
             None if part.is_multipart() else part.get_payload())
            for part in message.walk()]


@pytest.mark.parametrize("eol", ["\r\n", "\n", "\r"])
def test_a_part_s_last_line_ending_is_taken_off_as_the_stock_parser_does(eol: str) -> None:
    """Issue 22: the parser looks for it at the end of the part alone (``line_ends``); the
    tree, payloads, preambles and epilogues are the stock parser's, whatever the line
    endings, with parts ending in one, two or no line endings, nested and not."""
    from extractors.mail.line_ends import TrailingLineEnd

    body = base64.encodebytes(bytes(range(256)) * 40).decode().replace("\n", eol)
    inner = eol.join(["--in", "Content-Type: text/plain", "", "内层正文" + eol,
                      "--in", "Content-Type: text/plain", "", "两个换行" + eol + eol,
                      "--in--", "inner epilogue" + eol + eol])
    raw = eol.join([
        "From: a@b.cn", "Subject: x", "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="out"', "", "preamble",
        "--out", "Content-Type: text/plain", "", "正文，无换行",
        "--out", "Content-Type: image/jpeg", "Content-Transfer-Encoding: base64", "", body,
        "--out", 'Content-Type: multipart/alternative; boundary="in"', "", inner,
        "--out--", "epilogue", "",
    ]).encode()
    stock, ours = _stock_and_ours(raw)
    assert _tree(ours) == _tree(stock)
    assert len(_tree(ours)) == 6
    import email.feedparser

    assert isinstance(vars(email.feedparser)["NLCRE_eol"], TrailingLineEnd)  # ours parsed


def test_the_trailing_line_end_search_finds_what_the_stock_pattern_finds() -> None:
    import re

    from extractors.mail.line_ends import PATTERN, TrailingLineEnd

    stock, ours = re.compile(PATTERN), TrailingLineEnd()
    for head in ("", "x", "line\n" * 3, "a\r\nb\r\n" * 2):
        for tail in ("", "\n", "\r", "\r\n", "\n\r", "\r\r", "\n\n", "\r\n\r\n", "\n\r\n", "x"):
            text = head + tail
            found, expected = ours.search(text), stock.search(text)
            assert (found and found.group(0)) == (expected and expected.group(0)), repr(text)
