"""Archives: decoded names and paths, nesting, refusals with their reasons, limits."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from extractors.limits import Limits
from extractors.mail import archives
from extractors.mail.archives import archive_format, is_archive, unpack_archive
from tests.builders.tricky_mail import (
    DOCX_BYTES,
    WINDOWS_ZIP_PATHS,
    LegacyNameInfo,
    RarEntry,
    nested_zip,
    seven_zip,
    stored_rar,
    windows_gbk_zip,
    zip_bytes,
)
from tests.paths import SHARED

REALWORLD = SHARED / "realworld"
MiB = 1024 * 1024


def paths(outcome: archives.ArchiveOutcome) -> list[str]:
    return [f.path for f in outcome.files]


def assert_clean(outcome: archives.ArchiveOutcome) -> None:
    for item in outcome.files:
        assert "\ufffd" not in item.path
        assert item.path.endswith("/" + item.name) and "/" not in item.name


# --- names ------------------------------------------------------------------------------


def test_realworld_cp932_zip_reads_as_japanese_not_gbk() -> None:
    data = (REALWORLD / "archives" / "libarchive-zip-filename-cp932.zip").read_bytes()
    outcome = unpack_archive("cp932.zip", data)
    assert outcome.rejected is None and outcome.unreadable is None
    assert paths(outcome) == ["cp932.zip/表だよ/一覧表.txt", "cp932.zip/表だよ/漢字.txt"]
    assert [f.name for f in outcome.files] == ["一覧表.txt", "漢字.txt"]


def test_windows_zip_mixes_gbk_utf8_flag_and_unicode_path_field() -> None:
    outcome = unpack_archive("材料.zip", windows_gbk_zip())
    assert paths(outcome) == [f"材料.zip/{p}" for p in WINDOWS_ZIP_PATHS]
    assert [f.data for f in outcome.files] == [p.encode() for p in WINDOWS_ZIP_PATHS]
    assert_clean(outcome)


def test_gbk_names_are_not_taken_for_japanese() -> None:
    names = ["申报表.docx", "汇总表.xlsx", "朱镕基.pdf", "衡阳市科协/说明.txt"]
    data = zip_bytes([(LegacyNameInfo(n.encode("gbk")), b"x") for n in names])
    assert [f.name for f in unpack_archive("a.zip", data).files] == [n.split("/")[-1] for n in names]


def test_undecodable_name_is_kept_readable_with_a_note() -> None:
    data = zip_bytes([(LegacyNameInfo(b"\xff\xfe\xfd.txt"), b"x")])
    outcome = unpack_archive("a.zip", data)
    assert len(outcome.files) == 1 and "\ufffd" not in outcome.files[0].name
    assert outcome.problems and "无法识别编码" in outcome.problems[0]


def test_seven_zip_names_and_folders() -> None:
    data = seven_zip([("推荐材料/申报表（张三）.docx", DOCX_BYTES), ("推荐材料/空.txt", b""),
                      ("说明.txt", "说明".encode())])
    outcome = unpack_archive("材料.7z", data)
    assert paths(outcome) == ["材料.7z/推荐材料/申报表（张三）.docx", "材料.7z/推荐材料/空.txt",
                              "材料.7z/说明.txt"]
    assert [f.data for f in outcome.files] == [DOCX_BYTES, b"", "说明".encode()]


def test_rar_unicode_and_legacy_gbk_names() -> None:
    data = stored_rar([RarEntry("推荐材料", directory=True),
                       RarEntry("推荐材料/申报表.docx", DOCX_BYTES),
                       RarEntry("推荐材料/汇总表-朱镕基.xlsx", b"xlsx", encoding="gbk")])
    outcome = unpack_archive("材料.rar", data)
    assert outcome.rejected is None and outcome.unreadable is None
    assert paths(outcome) == ["材料.rar/推荐材料/申报表.docx", "材料.rar/推荐材料/汇总表-朱镕基.xlsx"]
    assert [f.data for f in outcome.files] == [DOCX_BYTES, b"xlsx"]


@pytest.mark.skipif(not shutil.which("unar") and not shutil.which("unrar"),
                    reason="no rar backend (scripts/setup.sh installs unar)")
def test_rar_through_the_debian_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    import rarfile

    monkeypatch.setattr(rarfile, "FORCE_TOOL", True)  # stored entries too go through unar
    data = stored_rar([RarEntry("推荐材料/申报表.docx", DOCX_BYTES * 100)])
    outcome = unpack_archive("材料.rar", data)
    assert outcome.unreadable is None
    assert [f.data for f in outcome.files] == [DOCX_BYTES * 100]


# --- what is an archive -----------------------------------------------------------------


@pytest.mark.parametrize("office", ["poitl-issue-161.docx", "easyexcel-compatibility-t03.xlsx"])
def test_office_documents_are_not_archives(office: str) -> None:
    data = (REALWORLD / "office" / office).read_bytes()
    assert archive_format(data) == "zip"
    assert not is_archive(office, data)


def test_archives_are_recognised_by_content() -> None:
    assert is_archive("no-extension", zip_bytes([("a.txt", b"x")]))
    assert is_archive("a.bin", seven_zip([("a.txt", b"x")]))
    assert is_archive("a.dat", stored_rar([RarEntry("a.txt", b"x")]))
    assert not is_archive("fake.zip", b"<html>\n")
    assert not is_archive("a.ofd", zip_bytes([("OFD.xml", b"<ofd/>")]))


def test_not_an_archive_and_corrupt_archives_are_unreadable_not_rejected() -> None:
    assert unpack_archive("fake.zip", b"<html>").unreadable
    truncated = zip_bytes([("a.txt", b"x" * 1000)])[:60]
    outcome = unpack_archive("cut.zip", truncated)
    assert outcome.unreadable and outcome.rejected is None and outcome.files == []


# --- nesting ----------------------------------------------------------------------------


def test_nested_archives_are_opened_with_their_paths() -> None:
    outcome = unpack_archive("外层.zip", nested_zip(3))
    assert paths(outcome) == [
        "外层.zip/第2层.zip", "外层.zip/第2层.zip/第3层.zip", "外层.zip/第2层.zip/第3层.zip/申报表.docx",
        "外层.zip/第2层.zip/说明2.txt", "外层.zip/说明1.txt"]
    assert [f.is_archive for f in outcome.files] == [True, True, False, False, False]
    assert outcome.files[2].data == DOCX_BYTES


def test_nesting_deeper_than_the_limit_is_rejected() -> None:
    outcome = unpack_archive("外层.zip", nested_zip(4))
    assert outcome.files == []
    assert "嵌套过深" in outcome.rejected and "第4层.zip" in outcome.rejected and "3层" in outcome.rejected
    assert unpack_archive("外层.zip", nested_zip(2), Limits(archive_depth=1)).rejected


def test_a_damaged_inner_archive_is_kept_as_a_file_with_a_note() -> None:
    broken = zip_bytes([("a.txt", b"x" * 1000)])[:60]
    outcome = unpack_archive("a.zip", zip_bytes([("坏.zip", broken), ("b.txt", b"x")]))
    assert outcome.rejected is None and outcome.unreadable is None
    assert paths(outcome) == ["a.zip/坏.zip", "a.zip/b.txt"] and not outcome.files[0].is_archive
    assert "坏.zip" in outcome.problems[0]


def test_a_seven_zip_inside_a_zip() -> None:
    inner = seven_zip([("申报表.docx", DOCX_BYTES)])
    outcome = unpack_archive("a.zip", zip_bytes([("材料.7z", inner)]))
    assert paths(outcome) == ["a.zip/材料.7z", "a.zip/材料.7z/申报表.docx"]


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry, reason", [
    ("../evil.txt", "含“..”"),
    ("材料/../../evil.txt", "含“..”"),
    ("..\\evil.txt", "含“..”"),
    ("/etc/cron.d/evil", "绝对路径"),
    ("C:\\Windows\\evil.dll", "盘符"),
    ("\\\\server\\share\\evil", "绝对路径"),
])
def test_path_traversal_is_rejected_naming_the_entry(entry: str, reason: str) -> None:
    data = zip_bytes([("申报表.docx", DOCX_BYTES), (zipfile.ZipInfo(entry), b"x")])
    outcome = unpack_archive("a.zip", data)
    assert outcome.files == []
    assert reason in outcome.rejected and entry in outcome.rejected


def test_traversal_in_a_rar_is_rejected() -> None:
    outcome = unpack_archive("a.rar", stored_rar([RarEntry("../../evil.txt", b"x")]))
    assert "含“..”" in outcome.rejected


def test_symlinks_are_rejected() -> None:
    link = zipfile.ZipInfo("材料/link")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    outcome = unpack_archive("a.zip", zip_bytes([(link, b"/etc/passwd")]))
    assert "链接" in outcome.rejected and "材料/link" in outcome.rejected
    outcome = unpack_archive("a.rar", stored_rar([RarEntry("link", b"/etc/passwd", symlink=True)]))
    assert "链接" in outcome.rejected


def test_a_symlink_in_a_seven_zip_is_rejected(tmp_path: Path) -> None:
    import py7zr

    (tmp_path / "link").symlink_to("/etc/passwd")
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        archive.write(tmp_path / "link", "材料/link")
    assert "链接" in unpack_archive("a.7z", buffer.getvalue()).rejected


def test_encrypted_zip_flag_is_rejected() -> None:
    data = bytearray(zip_bytes([("申报表.docx", b"x")]))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # general purpose flags
        data[data.find(signature) + offset] |= 0x1
    outcome = unpack_archive("a.zip", bytes(data))
    assert "加密" in outcome.rejected and "申报表.docx" in outcome.rejected


@pytest.mark.skipif(not shutil.which("7z"), reason="7z (p7zip-full) not installed")
def test_a_real_password_protected_zip_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"secret")
    target = tmp_path / "a.zip"
    subprocess.run(["7z", "a", "-pSECRET", "-tzip", str(target), str(tmp_path / "a.txt")],
                   check=True, capture_output=True)
    assert "加密" in unpack_archive("a.zip", target.read_bytes()).rejected


def test_encrypted_seven_zip_is_rejected() -> None:
    assert "加密" in unpack_archive("a.7z", seven_zip([("a.txt", b"x")], password="pw")).rejected
    hidden = seven_zip([("a.txt", b"x")], password="pw", encrypt_names=True)
    assert "连文件名也已加密" in unpack_archive("a.7z", hidden).rejected


def test_encrypted_rar_is_rejected() -> None:
    assert "加密" in unpack_archive("a.rar", stored_rar([RarEntry("a.txt", b"x", encrypted=True)])).rejected
    assert "加密" in unpack_archive("a.rar", stored_rar([], encrypted_headers=True)).rejected


# --- limits -----------------------------------------------------------------------------


def test_compression_ratio_bomb_is_rejected_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    data = zip_bytes([("zeros.bin", bytes(20 * MiB))])
    monkeypatch.setattr(archives.ZipReader, "read", _must_not_read)
    outcome = unpack_archive("bomb.zip", data)
    assert "压缩比异常" in outcome.rejected and "疑似压缩炸弹" in outcome.rejected


def test_declared_total_size_over_the_limit_is_rejected_before_reading(
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = zip_bytes([("a.bin", os.urandom(2 * MiB))], compression=zipfile.ZIP_STORED)
    monkeypatch.setattr(archives.ZipReader, "read", _must_not_read)
    outcome = unpack_archive("big.zip", data, Limits(unpacked_bytes=1 * MiB))
    assert "过大" in outcome.rejected or "超过" in outcome.rejected


def test_too_many_files_is_rejected() -> None:
    data = zip_bytes([(f"{i}.txt", b"x") for i in range(6)])
    outcome = unpack_archive("many.zip", data, Limits(entries=5))
    assert "文件过多" in outcome.rejected
    assert unpack_archive("many.zip", data, Limits(entries=6)).rejected is None


def test_the_budget_is_shared_by_nested_archives() -> None:
    inner = zip_bytes([("a.bin", os.urandom(600 * 1024))], compression=zipfile.ZIP_STORED)
    outer = zip_bytes([("1.zip", inner), ("2.zip", inner)], compression=zipfile.ZIP_STORED)
    limits = Limits(unpacked_bytes=2 * MiB)
    assert unpack_archive("a.zip", inner, limits).rejected is None
    assert "超过" in unpack_archive("a.zip", outer, limits).rejected
    many = zip_bytes([("1.zip", zip_bytes([(f"{i}", b"") for i in range(4)])), ("b", b"")])
    assert "文件过多" in unpack_archive("a.zip", many, Limits(entries=4)).rejected


@pytest.mark.parametrize("kind", ["zip", "7z", "rar"])
def test_bytes_are_counted_while_reading_when_headers_lie(kind: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With the listing checks switched off, counting the inflated bytes still stops it."""
    payload = bytes(3 * MiB)
    data = {"zip": lambda: zip_bytes([("z.bin", payload)]),
            "7z": lambda: seven_zip([("z.bin", payload)]),
            "rar": lambda: stored_rar([RarEntry("z.bin", payload)])}[kind]()
    monkeypatch.setattr(archives, "_check_entries", lambda *args: None)
    outcome = unpack_archive(f"a.{kind}", data, Limits(unpacked_bytes=1 * MiB))
    assert outcome.files == [] and "过大" in outcome.rejected


def test_a_zip_whose_header_understates_its_size_never_inflates_more() -> None:
    data = bytearray(zip_bytes([("z.bin", bytes(2 * MiB))]))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")  # uncompressed size: 100
    outcome = unpack_archive("liar.zip", bytes(data))
    assert outcome.files == [] and (outcome.unreadable or outcome.rejected)


def test_default_limits() -> None:
    limits = Limits()
    assert (limits.unpacked_bytes, limits.compression_ratio, limits.entries, limits.archive_depth) == (
        500 * MiB, 200, 2000, 3)


def _must_not_read(*args: object, **kwargs: object) -> None:
    raise AssertionError("entries were read before the listing was checked")


def test_zip_bytes_helper_round_trip() -> None:
    data = zip_bytes([("a.txt", b"x")])
    assert zipfile.ZipFile(io.BytesIO(data)).read("a.txt") == b"x"
