"""Staff decisions reach every output: ``intake publish`` and the next ``intake run`` write a
register, a report and reply drafts that reflect them; a new form version reopens an
acceptance without erasing it; the report links each finding to the workspace when
INTAKE_WEB_URL is set; ``intake user add`` asks the password twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import json
import re
import sqlite3
import subprocess
import sys
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from click.testing import CliRunner

from flows.cli import main
from pipeline.model.campaign import load_campaign
from pipeline.review import decide
from pipeline.review.decide import Refused
from pipeline.review.workspace import Reviewed, campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.review import ReviewStore
from tests.builders.dates import SHANGHAI
from tests.builders.demo import demo_packages
from tests.builders.forms import build_form
from tests.builders.mail import build_eml
from tests.codes import known
from tests.demo_store import (
    COMPUTING,
    DEMO_DAY,
    MACHINERY,
    PARK,
    copy_store,
    invoke,
)

pytestmark = pytest.mark.slow

NOW = dt.datetime(2025, 4, 16, 9, 30, tzinfo=dt.timezone.utc)
STAMP_WARNING = "复印件“曹文博-职称证书.jpg”未见推荐单位红色公章"
BAD_ID_SHOWN = "证件号码“430408********215X”"  # the corrected number, as the report masks it


@pytest.fixture
def places(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    return copy_store(built, tmp_path / "store"), tmp_path / "outbox"


def _reviewed(store: Store) -> Reviewed:
    return review_register(store, campaign_checks(load_campaign(), dt.date.fromisoformat(DEMO_DAY)))


def _keep(store: Store, outcome: decide.Outcome) -> int:
    assert not isinstance(outcome, Refused), outcome
    return ReviewStore(store).add(outcome).id


def _finding_key(review: Reviewed, name: str, code: str) -> str:
    code = known(code)
    [finding] = [f for c in review.register.candidates if c.name == name
                 for f in c.findings if f.code == code]
    return fingerprint(finding)


def _decide_three_things(store_dir: Path) -> None:
    """Accept a warning, correct a field (to a number that fails its check), mark a unit."""
    store = Store(store_dir)
    review = _reviewed(store)
    _keep(store, decide.accept_finding(review, _finding_key(review, "曹文博", "COPY_NOT_STAMPED"),
                                       "verified", "公章在复印件背面，已核对原件", "wangli", NOW))
    [zhou] = [c for c in review.register.candidates if c.name == "周立衡"]
    zhou_id = review.candidate_id(zhou)
    assert zhou_id is not None
    _keep(store, decide.correct_field(review, zhou_id, "id_number", "43040819860313215X",
                                      "按身份证复印件更正", "wangli", NOW))
    _keep(store, decide.mark_contacted(review, COMPUTING, "phone", "2025-04-16", "联系人说周五前补交",
                                       "wangli", NOW))
    store.close()


def _publish(store: Path, outbox: Path) -> str:
    return invoke("publish", "--store", str(store), "--outbox", str(outbox), "--no-dossiers")


def _report(outbox: Path) -> str:
    return (outbox / "reports" / f"exceptions-{DEMO_DAY}.html").read_text(encoding="utf-8")


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def _open_part(html: str) -> str:
    return _between(html, '<h2 id="open">', '<h2 id="resolved">')


def _reply(outbox: Path, unit: str) -> str:
    raw = (outbox / "replies" / f"{unit}-{DEMO_DAY}.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=default_policy)
    return message.get_body().get_content()  # type: ignore[union-attr]


def _register(outbox: Path) -> dict:
    return json.loads((outbox / "register.json").read_text(encoding="utf-8"))


def _candidate(register: dict, name: str) -> dict:
    [entry] = [c for c in register["candidates"] if c["name"] == name]
    return entry


# --- intake publish -------------------------------------------------------------------------


def test_publish_reflects_an_acceptance_a_correction_and_a_contact(places: tuple[Path, Path]) -> None:
    store, outbox = places
    _publish(store, outbox)
    before_html, before_reply = _report(outbox), _reply(outbox, MACHINERY)
    assert STAMP_WARNING in _open_part(before_html) and STAMP_WARNING in before_reply
    assert BAD_ID_SHOWN not in before_html and "已联系" not in before_html

    _decide_three_things(store)
    _publish(store, outbox)
    html, reply = _report(outbox), _reply(outbox, MACHINERY)
    assert STAMP_WARNING not in _open_part(html) and STAMP_WARNING not in reply
    accepted = _between(html, 'id="accepted"', "</details>")
    assert STAMP_WARNING in accepted and "已核实：公章在复印件背面，已核对原件（wangli，2025-04-16）" in accepted
    assert BAD_ID_SHOWN in _open_part(html) and BAD_ID_SHOWN in reply
    assert "43040819860313215X" not in html + reply  # still masked
    computing = _between(html, f"<h3>{COMPUTING}", "</section>")
    assert "已联系：已电话（2025-04-16）：联系人说周五前补交" in computing


def test_register_json_keeps_its_keys_and_adds_the_decisions(places: tuple[Path, Path]) -> None:
    store, outbox = places
    _decide_three_things(store)
    _publish(store, outbox)
    register = _register(outbox)
    cao = _candidate(register, "曹文博")
    [stamp] = [f for f in cao["findings"] if f["code"] == "COPY_NOT_STAMPED"]
    assert {"code", "severity", "message"} <= stamp.keys()
    assert (stamp["status"], stamp["decision"]["by"], stamp["decision"]["reason"]) == \
        ("accepted", "wangli", "公章在复印件背面，已核对原件")
    assert [f["status"] for f in cao["findings"] if f["code"] != "COPY_NOT_STAMPED"] == ["open"] * 7
    zhou = _candidate(register, "周立衡")
    assert zhou["id_number"] == zhou["fields"]["id_number"] == "43040819860313215X"
    assert zhou["corrections"]["id_number"]["data"]["original"] == "430408198603122154"
    assert "ID_BIRTHDATE_MISMATCH" in [f["code"] for f in zhou["findings"]]
    [unit] = [u for u in register["units"] if u["recommender"] == COMPUTING]
    assert [(c["data"]["method"], c["data"]["date"]) for c in unit["contacts"]] == [("phone", "2025-04-16")]
    assert [d["kind"] for d in register["decisions"]] == ["accept", "correct_field", "contacted"]
    assert {"generated_at", "candidates", "units", "packages"} <= register.keys()


def test_register_xlsx_lists_accepted_findings_under_their_own_sheet(places: tuple[Path, Path]) -> None:
    store, outbox = places
    _decide_three_things(store)
    _publish(store, outbox)
    book = openpyxl.load_workbook(outbox / "register.xlsx", read_only=True)
    settled = [row for row in book["已处理"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[3], r[6], r[7]) for r in settled] == [
        ("曹文博", "COPY_NOT_STAMPED", "已核实：公章在复印件背面，已核对原件", "wangli")]
    issues = [row for row in book["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert [r[6] for r in issues if r[3] == "COPY_NOT_STAMPED"] == ["已处理"]
    fields = list(book["全部字段"].iter_rows(values_only=True))
    header, zhou = fields[0], next(r for r in fields if r[1] == "周立衡")
    assert zhou[header.index("证件号码")] == "43040819860313215X"
    assert "430408198603122154" in zhou[header.index("人工更正")]
    units = {r[0]: r for r in book["单位统计"].iter_rows(min_row=2, values_only=True)}
    assert units[COMPUTING][-1] == "已电话（2025-04-16）：联系人说周五前补交"


# --- intake run -----------------------------------------------------------------------------


def _run(store: Path, outbox: Path, inbox: Path) -> str:
    return invoke("run", "--no-fetch", "--inbox", str(inbox), "--store", str(store), "--outbox",
                  str(outbox), "--as-of", DEMO_DAY, "--ocr-engine", "none")


def _new_zhou_form_eml() -> bytes:
    """周立衡's form again, the address changed: a new version (RESUBMISSION)."""
    [package] = [p for p in demo_packages() if p.recommender == MACHINERY]
    zhou = package.candidates[0]
    person = dataclasses.replace(zhou.person, address="湖南省衡阳市蒸湘区解放大道99号")
    form, _ = build_form(person, zhou.layout)
    return build_eml(package.sender, "周立衡申报表（更正通信地址）", "付老师：更正了通信地址。",
                     [(zhou.file_name, form)], dt.datetime(2025, 4, 11, 10, 0, tzinfo=SHANGHAI))


def test_the_next_run_honours_decisions_and_a_new_form_reopens_an_acceptance(
        places: tuple[Path, Path], tmp_path: Path) -> None:
    store_dir, outbox = places
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    store = Store(store_dir)
    review = _reviewed(store)
    honour = "周立衡已获“湖南省科学技术进步奖”"
    _keep(store, decide.accept_finding(review, _finding_key(review, "周立衡", "PRIOR_HONOREE"),
                                       "waived", "该奖项为团队奖，经研究不予追究", "wangli", NOW))
    store.close()

    output = _run(store_dir, outbox, inbox)  # nothing new, but a decision since the last run
    assert "无新材料" not in output
    assert honour not in _open_part(_report(outbox)) and honour not in _reply(outbox, MACHINERY)
    assert "无新材料" in _run(store_dir, outbox, inbox)  # and now nothing at all is new

    (inbox / "zhou-v2.eml").write_bytes(_new_zhou_form_eml())
    _run(store_dir, outbox, inbox)
    html = _report(outbox)
    assert honour in _open_part(html) and honour in _reply(outbox, MACHINERY)
    zhou = _candidate(_register(outbox), "周立衡")
    [prior] = [f for f in zhou["findings"] if f["code"] == "PRIOR_HONOREE"]
    assert (prior["status"], prior["reopened"]) == ("open", True)
    register = _register(outbox)  # the newer form is reported on the package that brought it
    assert ("RESUBMISSION", "周立衡") in [(f["code"], f["candidate"]) for p in register["packages"]
                                         for f in p["findings"]]
    assert zhou["fields"]["address"] == "湖南省衡阳市蒸湘区解放大道99号"
    store = Store(store_dir)
    [kept] = ReviewStore(store).decisions()  # the new package erased no decision
    assert kept.active and kept.reason == "该奖项为团队奖，经研究不予追究"
    store.close()


# --- links to the workspace -----------------------------------------------------------------


def test_the_report_links_each_finding_to_its_workspace_page(places: tuple[Path, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store, outbox = places
    _publish(store, outbox)
    assert "在工作台处理" not in _report(outbox)
    monkeypatch.setenv("INTAKE_WEB_URL", "http://192.0.2.10:8700/")
    _publish(store, outbox)
    html = _report(outbox)
    links = re.findall(r'<a href="http://192\.0\.2\.10:8700(/[^"?#]+)\?finding=(f-[a-p]{20})#\2">在工作台处理</a>', html)
    open_list = _between(html, '<h2 id="open">', '<h2 id="requests">')
    listed = open_list.count('<li class="finding error">') + open_list.count('<li class="finding warning">')
    assert len(links) == listed == 15  # every open error and warning of the demo, each linked
    assert len({anchor for _, anchor in links}) == 15
    with sqlite3.connect(store / "intake.sqlite3") as db:
        ids = dict(db.execute("SELECT name, id FROM candidates").fetchall())
    paths = [path for path, _ in links]
    assert paths.count(f"/candidates/{ids['曹文博']}") == 7
    assert paths.count(f"/candidates/{ids['麦嘉俊']}") == 3
    assert [p for p in paths if p.startswith("/units/")] == ["/units/" + quote(PARK)]  # 补充说明.docx


def test_a_workspace_url_that_is_no_url_fails_publish_naming_it(places: tuple[Path, Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store, outbox = places
    monkeypatch.setenv("INTAKE_WEB_URL", "workspace.example")
    result = CliRunner().invoke(main, ["publish", "--store", str(store), "--outbox", str(outbox),
                                       "--no-dossiers"])
    assert result.exit_code == 1
    assert "INTAKE_WEB_URL“workspace.example”不是http://或https://开头的网址" in result.output


# --- accounts --------------------------------------------------------------------------------


def _users(store: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(store / "intake.sqlite3") as db:
        return db.execute("SELECT name, password_hash FROM users ORDER BY id").fetchall()


def test_user_add_asks_the_password_twice_and_keeps_an_argon2_hash(tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    mismatch = runner.invoke(main, ["user", "add", "zhao", "--store", str(store)],
                             input="long enough 1\nlong enough 2\n")
    assert mismatch.exit_code == 1 and "两次输入的密码不一致" in mismatch.output
    short = runner.invoke(main, ["user", "add", "zhao", "--store", str(store)], input="short\nshort\n")
    assert short.exit_code == 1 and "密码至少需要8个字符" in short.output
    assert not (store / "intake.sqlite3").exists()  # refused before anything was kept
    ok = runner.invoke(main, ["user", "add", "zhao", "--store", str(store)],
                       input="long enough 1\nlong enough 1\n")
    assert ok.exit_code == 0 and "已添加用户“zhao”" in ok.output
    [(name, hashed)] = _users(store)
    assert name == "zhao" and hashed.startswith("$argon2id$") and "long enough" not in hashed
    again = runner.invoke(main, ["user", "add", "zhao", "--store", str(store)],
                          input="long enough 1\nlong enough 1\n")
    assert again.exit_code == 1 and "用户“zhao”已存在" in again.output
    assert (store / "intake.sqlite3").stat().st_mode & 0o777 == 0o600


def test_the_command_line_does_not_load_the_web_server_for_other_commands() -> None:
    code = ("import sys; from click.testing import CliRunner; from flows.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); "
            "print('web' in r.output, 'user' in r.output, 'uvicorn' in sys.modules, 'starlette' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.split() == ["True", "True", "False", "False"]
