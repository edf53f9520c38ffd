"""Issue 23 in Debian's Chromium: the workspace staff can rely on every day, over a store
whose forms spell their units the way real cover pages do (（盖章）, spaces, 全角/半角,
科学技术协会). Every candidate has a page; a refused correction says why in Chinese and an
accepted one asks the unit nothing new; a decision sent twice is one; times are
Hengyang's; the overview lists the candidates with open errors and counts like the
report; other ID types are masked; file openings are in the audit trail, page views
apart; the return path after log-in stays inside; a 查看 account decides nothing; a
missing page is a Chinese page."""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Iterator
from email.policy import default as default_policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.demo_store import (
    COMPUTING,
    MACHINERY,
    PARK,
    PASSWORD,
    STAFF,
    copy_store,
    invoke,
    respell_units,
)
from tests.web_server import CHROMIUM, running_server

pytestmark = pytest.mark.slow

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (scripts/setup.sh installs it)", allow_module_level=True)

VIEWER, VIEWER_PASSWORD = "zhaomin", "read only 2025"
HENGYANG = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def daily_store(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = copy_store(built, tmp_path_factory.mktemp("daily") / "store")
    respell_units(store)
    invoke("user", "add", VIEWER, "--role", "查看", "--store", str(store),
           input=f"{VIEWER_PASSWORD}\n{VIEWER_PASSWORD}\n")
    return store


@pytest.fixture(scope="module")
def base(daily_store: Path) -> Iterator[str]:
    with running_server(daily_store) as url:
        yield url


def log_in(page, base: str, name: str = STAFF, password: str = PASSWORD,  # type: ignore[no-untyped-def]
           path: str = "/") -> None:
    page.goto(base + path)
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button")


def candidate_link(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f"a:text-is('{name}')").first


def test_every_candidate_has_a_page_whatever_the_cover_called_the_unit(base: str, browser) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    expect(page.locator("h1")).to_have_text("概况")
    assert page.locator("table.units a").all_inner_texts() == [MACHINERY, PARK, COMPUTING]
    page.click(f"table.units a:text-is('{COMPUTING}')")
    assert page.locator("table.candidates a").all_inner_texts() == ["刘湘宁", "麦嘉俊"]
    page.click("table.candidates a:text-is('刘湘宁')")
    expect(page.locator("h1")).to_have_text("刘湘宁")
    page.goto(f"{base}/search?q=麦嘉俊")
    expect(candidate_link(page, "麦嘉俊")).to_be_visible()
    page.close()


def test_the_overview_lists_candidates_with_open_errors_by_unit(base: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    log_in(page, base)
    units = page.locator("section.open-unit h3 a").all_inner_texts()
    assert units == [MACHINERY, PARK, COMPUTING]
    park = page.locator("section.open-unit", has_text=PARK)
    expect(park.locator("li")).to_have_count(1)
    expect(park.locator("li")).to_contain_text("欧阳晓岚")
    expect(park.locator("li")).to_contain_text("缺身份证复印件")
    park.locator("a:text-is('欧阳晓岚')").click()
    expect(page.locator("h1")).to_have_text("欧阳晓岚")
    page.goto(base + "/")
    # the unit's count is every finding naming it, the package's unreadable file included
    expect(page.locator("table.units tr", has_text=PARK).locator("td.n.error")).to_have_text("2")
    page.close()


def test_a_correction_is_checked_then_settles_without_a_new_demand(base: str, daily_store: Path, browser,
                                                                  tmp_path: Path) -> None:
    """The form's mobile corrected: the unit's table still says the old number, a difference
    of staff's making shown on the finding (never in the reply draft); 改汇总表 settles it,
    and the next publish shows neither the mismatch nor a line for it."""
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    errors_before = page.locator("table.units tr", has_text=MACHINERY).locator("td.n.error").inner_text()
    page.click(f"table.units a:text-is('{MACHINERY}')")
    page.click("table.candidates a:text-is('周立衡')")
    row = page.locator("#field-mobile")
    row.locator("summary", has_text="更正").click()
    row.locator("input[name=value]").fill("abc")
    row.locator("input[name=reason]").fill("电话核实")
    row.locator("button", has_text="保存更正").click()
    expect(page.locator("h1")).to_have_text("未能保存")
    expect(page.locator("main")).to_contain_text("“abc”不是11位大陆手机号码")
    page.go_back()
    row = page.locator("#field-mobile")
    row.locator("summary", has_text="更正").click()
    row.locator("input[name=value]").fill("13907340000")
    row.locator("input[name=reason]").fill("电话核实")
    row.locator("button", has_text="保存更正").click()
    expect(page.locator("#field-mobile td.value")).to_contain_text("13907340000")
    today = dt.datetime.now(HENGYANG).date().isoformat()  # the workspace's clock is Hengyang's
    expect(page.locator("#field-mobile .decision").first).to_contain_text(f"{STAFF} · {today}")
    mismatch = page.locator("li.finding", has_text="联系电话")
    expect(mismatch).to_contain_text("申报表经工作人员更正，由工作人员核定，不要求单位补正")
    page.click(f".crumbs a:text-is('{MACHINERY}')")
    expect(page.locator("pre.reply")).not_to_contain_text("联系电话")

    # 改汇总表 on the finding: the table's cell takes the corrected number
    page.click("table.candidates a:text-is('周立衡')")
    fix = page.locator("li.finding", has_text="联系电话").locator("details.fix-table")
    fix.locator("summary").click()
    expect(fix.locator("input[name=value]")).to_have_value("13907340000")
    fix.locator("input[name=reason]").fill("电话核实，汇总表同改")
    fix.locator("button").click()
    expect(page.locator("li.finding", has_text="联系电话")).to_have_count(0)
    page.click(f".crumbs a:text-is('{MACHINERY}')")
    expect(page.locator(".summary-corrections")).to_contain_text("汇总表第4行周立衡的“联系电话”由“139****1286”更正为“139****0000”")  # masked on the unit page
    page.goto(base + "/")
    expect(page.locator("table.units tr", has_text=MACHINERY).locator("td.n.error")).to_have_text(errors_before)
    page.close()

    outbox = tmp_path / "outbox"
    invoke("publish", "--store", str(daily_store), "--outbox", str(outbox), "--no-dossiers")
    report = next((outbox / "reports").glob("exceptions-*.html")).read_text(encoding="utf-8")
    assert "周立衡的“联系电话”为" not in report
    [draft] = (outbox / "replies").glob(f"{MACHINERY}-*.eml")
    body = email.message_from_bytes(draft.read_bytes(), policy=default_policy).get_body()
    assert body is not None and "联系电话" not in body.get_content()


def test_an_acceptance_sent_twice_is_one_decision(base: str, browser) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    page.click(f"table.units a:text-is('{MACHINERY}')")
    page.click("table.candidates a:text-is('曹文博')")
    form = page.locator("li.finding.warning", has_text="未见推荐单位红色公章").locator("form.accept")
    sent = {"csrf": form.locator("input[name=csrf]").get_attribute("value") or "",
            "back": form.locator("input[name=back]").get_attribute("value") or "",
            "reason_kind": "verified", "reason": "公章在背面"}
    action = base + (form.get_attribute("action") or "")
    for _ in range(2):  # a double click, or a form sent again after a lost answer
        answer = page.request.post(action, form=sent, max_redirects=0)
        assert answer.status == 303, answer.text()
    page.reload()
    warning = page.locator("li.finding.warning", has_text="未见推荐单位红色公章")
    expect(warning.locator(".state")).to_have_text("已处理")
    warning.locator("details.history summary").click()
    expect(warning.locator("details.history li", has_text="已核实：公章在背面")).to_have_count(1)
    warning.locator("form.undo button").first.click()  # one 撤销 reopens it
    expect(page.locator("li.finding.warning", has_text="未见推荐单位红色公章").locator(".state")).to_have_text("待处理")
    page.close()


def test_other_id_types_are_masked_outside_the_candidate_page(base: str, browser) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    page.click(f"table.units a:text-is('{COMPUTING}')")
    expect(page.locator("table.candidates tr", has_text="麦嘉俊")).to_contain_text("H******75")
    assert "H60321875" not in page.content()
    page.click("table.candidates a:text-is('麦嘉俊')")
    expect(page.locator(".idno")).to_have_text("H60321875")
    page.close()


def test_file_openings_are_audited_and_page_views_kept_apart(base: str, browser) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    page.click(f"table.units a:text-is('{PARK}')")
    page.click("table.candidates a:text-is('蒋承业')")
    page.locator("main h3 a").first.click()  # the first file on the candidate's page
    opened = page.locator("h1").inner_text()
    page.goto(base + "/audit")
    assert "查看人选" not in page.locator("table.audit tbody").inner_text()
    page.locator("input[name=kind][value=decisions]").uncheck()
    page.locator("input[name=kind][value=logins]").uncheck()
    page.locator("input[name=kind][value=accounts]").uncheck()
    page.locator("input[name=kind][value=views]").check()
    page.fill("input[name=q]", "蒋承业")
    page.click("form.audit-filter button")
    rows = page.locator("table.audit tbody tr")
    expect(rows.filter(has_text="打开文件").first).to_contain_text(STAFF)
    expect(rows.filter(has_text="打开文件").first).to_contain_text(opened)
    expect(rows.filter(has_text="查看人选").first).to_contain_text(PARK)
    page.close()


def test_the_return_path_after_log_in_stays_inside(base: str, browser) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    for sneaky in ("//evil.example/x", "/%5Cevil.example/x", "/login?next=//evil.example/x",
                   "/login?next=https://evil.example/x", "/login?next=/%09/evil.example"):
        page.context.clear_cookies()
        log_in(page, base, path=sneaky)
        expect(page.locator("h1")).not_to_have_text("登录")
        assert page.url.startswith(base + "/"), (sneaky, page.url)
    page.close()


def test_a_viewer_reads_everything_and_decides_nothing(base: str, browser) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base, VIEWER, VIEWER_PASSWORD)
    expect(page.locator("header .user")).to_contain_text("（只读）")
    page.click(f"table.units a:text-is('{MACHINERY}')")
    assert page.locator("form.contact").count() == 0
    page.click("table.candidates a:text-is('曹文博')")
    expect(page.locator("h1")).to_have_text("曹文博")
    assert page.locator("form[method=post]").count() == 1  # log-out only
    page.close()


def test_a_missing_page_is_a_chinese_page(base: str, browser) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    response = page.goto(base + "/no/such/page")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    assert "Not Found" not in page.content()
    page.goto(base + "/candidates/999")
    expect(page.locator("h1")).to_have_text("未找到")
    page.close()
