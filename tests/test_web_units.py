"""The workspace's small parts, without a server: where a log-in may send one back to,
what a page masks and what it must not, page images of scans and PDFs, and files asked
for by anything but their hash."""

from __future__ import annotations

import io
from pathlib import Path

from markupsafe import Markup
from PIL import Image

from pipeline.model.models import Package, PackageFile, Register
from pipeline.store.files import FileStore
from tests.builders.scans import certificate, image_pdf, jpeg
from web.auth import safe_next, with_anchor
from web.files import page_count, page_image, register_file, stored_path
from web.templating import Plain, masked, masked_environment, open_environment

# 18 digits in a row inside a hash: a masker would take them for an ID number
SHA = "ab" + "430408198603122154" + "c" * 44


def test_after_log_in_only_a_path_of_this_site() -> None:
    assert safe_next("/candidates/3?finding=f-" + "g" * 20) == "/candidates/3?finding=f-" + "g" * 20
    assert [safe_next(t) for t in ("//evil.example/x", "/\\evil.example", "https://evil.example",
                                   "candidates/3", "", None)] == ["/"] * 6


def test_a_finding_named_in_the_query_becomes_the_fragment() -> None:
    anchor = "f-" + "ghijklmnopabcdefghij"
    assert with_anchor(f"/candidates/3?finding={anchor}") == f"/candidates/3?finding={anchor}#{anchor}"
    assert with_anchor("/candidates/3?finding=f-123") == "/candidates/3?finding=f-123"  # not an anchor
    assert with_anchor("/units/x") == "/units/x"


def test_pages_mask_personal_numbers_but_not_urls_or_hashes() -> None:
    assert masked("证件号码430408198603122154") == "证件号码430408********2154"
    assert masked(Plain(SHA)) == SHA
    assert masked(Markup("<b>430408198603122154</b>")) == Markup("<b>430408198603122154</b>")
    template = masked_environment().from_string('<a href="{{ file_url(sha) }}">{{ name }}</a>')
    page = template.render(sha=SHA, name="430408198603122154身份证.jpg")
    assert page == f'<a href="/files/{SHA}">430408********2154身份证.jpg</a>'
    opened = open_environment().from_string("{{ name }}").render(name="430408198603122154")
    assert opened == "430408198603122154"


def _register_with(file: PackageFile) -> Register:
    return Register("2025-04-15T00:00:00+00:00", [Package("p", "s", files=[file])], [])


def test_a_file_is_found_by_its_hash_only(tmp_path: Path) -> None:
    data = jpeg(certificate("毕业证书", ["学生 张三"], seal_unit=None))
    kept = FileStore(tmp_path).keep_file(data)
    sha = kept.name
    register = _register_with(PackageFile("a.jpg", "a.jpg", sha, len(data)))
    assert register_file(register, sha) is not None
    for asked in ("../intake.sqlite3", sha.upper(), sha[:-1], f"{sha}/../x", "0" * 64):
        assert register_file(register, asked) is None, asked
        assert stored_path(tmp_path, asked) is None, asked
    assert stored_path(tmp_path, sha) == kept.resolve()


def test_page_images_of_a_pdf_and_of_a_scan(tmp_path: Path) -> None:
    pages = [certificate("公示", ["第一页"], seal_unit="衡阳市科协"),
             certificate("公示", ["第二页"], seal_unit=None, size=(640, 900))]
    pdf = FileStore(tmp_path).keep_file(image_pdf(pages))
    scan = FileStore(tmp_path).keep_file(jpeg(pages[0]))
    assert (page_count(pdf), page_count(scan)) == (2, 1)
    second = Image.open(io.BytesIO(page_image(pdf, 2) or b""))
    assert second.format == "JPEG" and second.height > second.width  # the portrait page
    first = Image.open(io.BytesIO(page_image(scan, 1) or b""))
    assert first.size == (900, 640)
    assert page_image(pdf, 3) is None and page_image(scan, 0) is None
    text = tmp_path / "note.txt"
    text.write_text("不是扫描件")
    assert page_count(text) == 0 and page_image(text, 1) is None
