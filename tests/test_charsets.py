"""extractors.charsets: labels clients write, GB18030 only for Chinese, cut characters."""

from __future__ import annotations

import pytest

from extractors.charsets import (
    codec_for_codepage,
    codec_for_label,
    decode_labelled,
    decode_legacy_names,
    decode_unlabelled,
    decode_with_codepage,
    looks_chinese,
)

# (label as clients write it, Python codec it must map to)
LABELS = [
    ("windows-874", "cp874"), ("x-gbk", "gb18030"), ("gb_2312-80", "gb18030"),
    ("GB2312", "gb18030"), ("ks_c_5601-1987", "cp949"), ("unicode-1-1-utf-7", "utf-7"),
    ("x-unicode-2-0-utf-7", "utf-7"), ("unicode-1-1-utf-8", "utf-8"), ("x-sjis", "cp932"),
    ("windows-31j", "cp932"), ("x-x-big5", "big5"), ("cn-big5", "big5"),
    ("x-mac-chinesesimp", "gb18030"), ("iso-8859-8-i", "iso8859-8"), ("x-euc-jp", "euc_jp"),
    ('"Gb18030"', "gb18030"), ("csgb2312", "gb18030"), ("windows-949", "cp949"),
]


@pytest.mark.parametrize(("label", "codec"), LABELS)
def test_labels_clients_write_map_to_their_codecs(label: str, codec: str) -> None:
    assert codec_for_label(label) == codec


def test_an_unknown_label_is_unknown() -> None:
    assert codec_for_label("x-no-such-charset") is None
    assert codec_for_label("gb\x002312") is None


def test_thai_under_windows_874_is_thai_not_hanzi() -> None:
    data = "ภาษาไทย.pdf".encode("cp874")
    assert decode_labelled(data, "windows-874") == ("ภาษาไทย.pdf", True)


def test_korean_under_ks_c_5601_1987_reads_cp949_only_syllables() -> None:
    data = "똠방각하.hwp".encode("cp949")  # 똠 is in cp949 (UHC), not in EUC-KR
    assert decode_labelled(data, "ks_c_5601-1987") == ("똠방각하.hwp", True)


def test_utf7_label_of_old_outlook() -> None:
    assert decode_labelled("政策.doc".encode("utf-7"), "unicode-1-1-utf-7") == ("政策.doc", True)


def test_unknown_label_on_latin_bytes_never_becomes_gbk_hanzi() -> None:
    text, ok = decode_labelled("Métier.pdf".encode("latin-1"), "x-no-such-charset")
    assert not ok
    assert text == "M\ufffdtier.pdf"


def test_unknown_label_on_gbk_chinese_still_reads_as_chinese() -> None:
    assert decode_labelled("申报表.docx".encode("gbk"), "x-unknown") == ("申报表.docx", True)


def test_a_gb_label_on_utf8_bytes_is_read_as_utf8() -> None:
    assert decode_labelled("张三.docx".encode("utf-8"), "gb2312") == ("张三.docx", True)


def test_gb2312_label_on_gbk_only_characters() -> None:
    assert decode_labelled("朱镕基.doc".encode("gbk"), "gb2312") == ("朱镕基.doc", True)


def test_raw_utf8_cut_at_the_end_keeps_its_valid_part() -> None:
    data = "张三申报材料".encode("utf-8")[:-1]  # the last character lost its last byte
    assert decode_unlabelled(data) == ("张三申报材", False)


def test_raw_utf8_cut_before_the_extension_keeps_name_and_extension() -> None:
    data = "王五的照片".encode("utf-8")[:-2] + b".jpg"
    assert decode_unlabelled(data) == ("王五的照.jpg", False)


def test_raw_gbk_cut_inside_a_character_keeps_its_valid_part() -> None:
    data = "李四申报表".encode("gbk")[:-1] + b".docx"
    assert decode_unlabelled(data, ["gb18030"]) == ("李四申报.docx", False)


def test_garbage_is_not_taken_for_a_cut_character() -> None:
    text, ok = decode_unlabelled(b"\xff\xfe\x81\x20.docx", ["gb18030"])
    assert not ok and "\ufffd" in text


def test_unlabelled_latin_bytes_are_not_read_as_gbk() -> None:
    text, ok = decode_unlabelled("Métier.pdf".encode("latin-1"))
    assert (text, ok) == ("M\ufffdtier.pdf", False)


def test_unlabelled_big5_with_a_big5_hint() -> None:
    assert decode_unlabelled("養樂多".encode("big5"), ["big5"]) == ("養樂多", True)


def test_looks_chinese() -> None:
    assert looks_chinese("朱镕基申报表")
    assert not looks_chinese("Métier")
    assert not looks_chinese("ภาษา")


def test_tnef_code_pages() -> None:
    assert codec_for_codepage(936) == "gb18030"
    assert codec_for_codepage(874) == "cp874"
    assert codec_for_codepage(1251) == "cp1251"
    assert decode_with_codepage("Отчёт".encode("cp1251"), "cp1251") == "Отчёт"
    assert decode_with_codepage("申报表".encode("gbk"), "ascii") == "申报表"
    assert decode_with_codepage("Métier".encode("latin-1"), "ascii") == ""  # never as GBK


def test_legacy_zip_names_gbk_and_shift_jis() -> None:
    gbk = ["材料/申报表.docx".encode("gbk"), "材料/汇总表.xlsx".encode("gbk")]
    assert decode_legacy_names(gbk) == ["材料/申报表.docx", "材料/汇总表.xlsx"]
    japanese = ["表だよ/一覧表.txt".encode("cp932")]
    assert decode_legacy_names(japanese) == ["表だよ/一覧表.txt"]
