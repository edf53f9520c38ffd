"""Every real message of ../shared/realworld goes through intake into a package: every
expected attachment name is among the package's files, with no replacement character."""

from __future__ import annotations

import json

import pytest

from pipeline.intake.packages import IntakeSettings, read_package
from tests.codes import known
from tests.paths import SHARED

REALWORLD = SHARED / "realworld"
EXPECTED = {name: names for name, names in json.loads(
    (REALWORLD / "expected-attachment-names.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")}


def test_every_realworld_message_is_listed() -> None:
    messages = sorted(p.name for p in (REALWORLD / "mail").glob("*.eml"))
    assert messages and set(messages) <= set(EXPECTED)


@pytest.mark.parametrize("message", sorted(n for n in EXPECTED if n.endswith(".eml")))
def test_the_package_holds_every_expected_attachment(message: str) -> None:
    raw = (REALWORLD / "mail" / message).read_bytes()
    package = read_package(raw, message, IntakeSettings())
    names = [f.name for f in package.files]
    assert set(EXPECTED[message]) <= set(names)
    assert not any("\ufffd" in n for n in names + [package.subject, package.sender])
    assert all(f.code != known("UNREADABLE_FILE") or f.file for f in package.findings)


def test_a_zip_that_is_not_an_archive_is_reported_by_name() -> None:
    raw = (REALWORLD / "mail" / "enmime-bad-final-boundary.eml").read_bytes()
    package = read_package(raw, "m", IntakeSettings())
    assert [f.path for f in package.files] == ["foo_9E5D72.zip"]  # 7 bytes of HTML
    [finding] = package.findings
    assert (finding.code, finding.file) == ("UNREADABLE_FILE", "foo_9E5D72.zip")
    assert "不是压缩包" in finding.message


def test_the_cp932_zip_unpacks_with_its_names_into_a_package() -> None:
    from pipeline.model.models import Package

    data = (REALWORLD / "archives" / "libarchive-zip-filename-cp932.zip").read_bytes()
    package = Package(package_id="p", source="p")
    from pipeline.intake.packages import add_attachment

    add_attachment(package, "资料.zip", data, IntakeSettings())
    assert [f.path for f in package.files] == [
        "资料.zip", "资料.zip/表だよ/一覧表.txt", "资料.zip/表だよ/漢字.txt"]


def test_a_winmail_dat_is_reported_to_staff(tmp_path) -> None:
    import datetime as dt
    import shutil

    from pipeline.settings import RunOptions
    from pipeline.stages import run_once

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REALWORLD / "mail" / "mimekit-outlook-tnef-winmail.eml", inbox)
    options = RunOptions(inbox=inbox, outbox=tmp_path / "out", store_dir=tmp_path / "store",
                         as_of=dt.date(2025, 4, 15))
    run_once(options)
    register = json.loads((options.outbox / "register.json").read_text(encoding="utf-8"))
    [package] = register["packages"]
    assert any("winmail.dat" in note for note in package["notes"])
    html = (options.outbox / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "winmail.dat（Outlook TNEF格式）" in html
