"""The store keeps hostile names exactly: lone surrogates (a drop-folder name that is not
UTF-8), control characters and bidi marks go in and come back as they were."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.model.catalog import Finding
from pipeline.model.models import Package, PackageFile
from pipeline.store.database import Store

NAMES = ["照片\udc80\udcff.jpg", "照片\n.jpg", "invoice\u202efdp.exe", "a\x00b.pdf"]


def hostile_package() -> Package:
    files = [PackageFile(name=name, path=f"材料\udce9.zip/{name}", sha256=f"{i:064d}", size=1)
             for i, name in enumerate(NAMES)]
    findings = [Finding.of("UNREADABLE_FILE", file=name, recommender="衡阳\udcb1科协",
                           reason=f"原因{name}") for name in NAMES]
    return Package(package_id="<x@test>", source="单位\udcd5/邮件.eml", sender="\udcc0 <a@x.test>",
                   subject="主题\udcc1", files=files, findings=findings, notes=[f"说明{NAMES[0]}"])


def test_a_package_with_hostile_names_is_stored_and_read_back_exactly(tmp_path: Path) -> None:
    store = Store(tmp_path)
    run = store.start_run(dt.date(2025, 4, 8))
    sha = store.keep_message(b"From: a@x.test\r\n\r\nx", "单位\udcd5/邮件.eml", run)
    store.save_package(sha, hostile_package(), run)
    [stored] = store.packages()
    assert [f.name for f in stored.package.files] == NAMES
    assert stored.package.files[0].path == "材料\udce9.zip/照片\udc80\udcff.jpg"
    assert stored.package.subject == "主题\udcc1"
    assert [f.details["reason"] for f in stored.package.findings] == [f"原因{n}" for n in NAMES]
    store.close()


def test_findings_naming_hostile_files_are_tracked_across_runs(tmp_path: Path) -> None:
    store = Store(tmp_path)
    findings = hostile_package().findings
    first = store.sync_findings(findings, store.start_run(dt.date(2025, 4, 8)))
    second = store.sync_findings(findings, store.start_run(dt.date(2025, 4, 9)))
    assert len(first.opened) == 4 and second.opened == [] and second.resolved == []
    assert [f.details["reason"] for f in store.open_findings()] == [f"原因{n}" for n in NAMES]
    store.close()


def test_a_drop_folder_source_that_is_not_utf8_is_recognised_again(tmp_path: Path) -> None:
    store = Store(tmp_path)
    run = store.start_run(dt.date(2025, 4, 8))
    sha = store.keep_message(b"x", "单位\udcd5.eml", run)
    store.remember_dropped("单位\udcd5.eml", "stamp", sha)
    assert store.dropped_message("单位\udcd5.eml", "stamp") == sha
    store.finish_run(run, "ok", {"outputs": ["\udcd5.json"]})
    store.close()
