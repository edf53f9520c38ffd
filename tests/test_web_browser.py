"""A member of staff in a real browser: Debian's Chromium driven by Playwright against a
real ``intake web`` over a store built from the demo packages. They log in, accept a
warning, correct a field, mark a unit contacted and undo; the pages show each at once,
and ``intake publish`` then writes a register, report and reply drafts that reflect it."""

from __future__ import annotations

import email
import json
import shutil
from collections.abc import Iterator
from email.policy import default as default_policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.demo_store import (
    COMPUTING,
    DEMO_DAY,
    MACHINERY,
    PASSWORD,
    STAFF,
    build_demo_store,
    invoke,
)
from tests.web_server import CHROMIUM, running_server

pytestmark = pytest.mark.slow

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (scripts/setup.sh installs it)", allow_module_level=True)

STAMP_WARNING = "复印件“曹文博-职称证书.jpg”未见推荐单位红色公章"
BAD_ID_SHOWN = "证件号码“430408********215X”"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    folder = tmp_path_factory.mktemp("browser")
    build_demo_store(folder / "store", folder / "demo-outbox")
    with running_server(folder / "store") as base:
        yield base, folder / "store", folder / "demo-outbox"


def log_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login?next=%2F")
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button")
    expect(page.locator("h1")).to_have_text("概况")


def total(page, label: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".totals li", has_text=label).locator(".num").inner_text()


def report(outbox: Path) -> str:
    return (outbox / "reports" / f"exceptions-{DEMO_DAY}.html").read_text(encoding="utf-8")


def open_list(html: str) -> str:
    return html[html.index('<h2 id="open">'):html.index('<h2 id="resolved">')]


def reply(outbox: Path, unit: str) -> str:
    raw = (outbox / "replies" / f"{unit}-{DEMO_DAY}.eml").read_bytes()
    return email.message_from_bytes(raw, policy=default_policy).get_body().get_content()  # type: ignore[union-attr]


def test_staff_settle_findings_in_the_browser_and_publish_shows_it(workspace, browser, tmp_path) -> None:
    base, store, demo_outbox = workspace
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    assert [total(page, label) for label in ("推荐单位", "人选", "待处理错误", "待处理警告", "已处理")] == \
        ["3", "7", "10", "5", "0"]

    # accept a warning
    page.click(f"table.units a:text-is('{MACHINERY}')")
    page.click("table.candidates a:text-is('曹文博')")
    expect(page.locator("h1")).to_have_text("曹文博")
    expect(page.locator(".person .counts")).to_have_text("错误3 · 警告4")
    warning = page.locator("li.finding", has_text=STAMP_WARNING)
    warning.locator("summary", has_text="标记为已处理").click()
    warning.locator("input[name=reason]").fill("公章在复印件背面，已核对原件")
    warning.locator("button", has_text="保存").click()
    warning = page.locator("li.finding", has_text=STAMP_WARNING)
    expect(warning.locator(".state")).to_have_text("已处理")
    expect(warning.locator(".decision")).to_contain_text(f"{STAFF} · ")
    expect(warning.locator(".decision")).to_contain_text("已核实：公章在复印件背面，已核对原件")
    expect(page.locator(".person .counts")).to_have_text("错误3 · 警告3 · 已处理1")

    # correct a field: the checks run on the new value at once, the value read stays visible
    page.click(f".crumbs a:text-is('{MACHINERY}')")
    page.click("table.candidates a:text-is('周立衡')")
    expect(page.locator(".idno")).to_have_text("430408198603122154")  # opened: shown whole
    assert page.locator("li.finding", has_text="身份证号与出生日期不符").count() == 0
    row = page.locator("#field-id_number")
    row.locator("summary", has_text="更正").click()
    row.locator("input[name=value]").fill("43040819860313215X")
    row.locator("input[name=reason]").fill("按身份证复印件更正")
    row.locator("button", has_text="保存更正").click()
    row = page.locator("#field-id_number")
    expect(row.locator("td.value")).to_contain_text("43040819860313215X")
    expect(row.locator(".original")).to_have_text("原读取值：430408198603122154")
    expect(row.locator("td.written")).to_have_text("430408198603122154")  # the form's own cell
    expect(page.locator("li.finding", has_text="身份证号与出生日期不符")).to_contain_text("43040819860313215X")

    # mark a unit contacted
    page.click("header a:text-is('概况')")
    page.click(f"table.units a:text-is('{COMPUTING}')")
    contacts = page.locator("#contacts")
    contacts.locator("input[value=notice]").check()
    contacts.locator("input[name=date]").fill("2025-04-16")
    contacts.locator("input[name=note]").fill("已发补正通知，请周五前补交")
    contacts.locator("button", has_text="记录联系").click()
    expect(page.locator("#contacts ul.decisions")).to_contain_text("已发补正通知（2025-04-16）：已发补正通知，请周五前补交")

    # the overview counts what is still open, and masks numbers again
    page.click("header a:text-is('概况')")
    assert [total(page, label) for label in ("待处理错误", "待处理警告", "已处理")] == ["11", "4", "1"]
    expect(page.locator("table.units tr", has_text=COMPUTING)).to_contain_text("已发补正通知（2025-04-16）")
    page.fill("header input[name=q]", "9059")
    page.click("header form.search button")
    expect(page.locator("main li", has_text="曹文博")).to_contain_text("430481********9059")

    # intake publish: the register, the report and the reply drafts show all three
    outbox = tmp_path / "outbox"
    invoke("publish", "--store", str(store), "--outbox", str(outbox), "--no-dossiers")
    register = json.loads((outbox / "register.json").read_text(encoding="utf-8"))
    [cao] = [c for c in register["candidates"] if c["name"] == "曹文博"]
    assert [f["status"] for f in cao["findings"] if f["code"] == "COPY_NOT_STAMPED"] == ["accepted"]
    [zhou] = [c for c in register["candidates"] if c["name"] == "周立衡"]
    assert (zhou["fields"]["id_number"], zhou["corrections"]["id_number"]["by"]) == ("43040819860313215X", STAFF)
    [computing] = [u for u in register["units"] if u["recommender"] == COMPUTING]
    assert [c["summary"] for c in computing["contacts"]] == ["已发补正通知（2025-04-16）：已发补正通知，请周五前补交"]

    before, after = report(demo_outbox), report(outbox)
    assert STAMP_WARNING in open_list(before) and STAMP_WARNING not in open_list(after)
    assert BAD_ID_SHOWN not in before and BAD_ID_SHOWN in open_list(after)
    assert "已联系：已发补正通知（2025-04-16）" not in before and "已联系：已发补正通知（2025-04-16）" in after
    assert STAMP_WARNING in reply(demo_outbox, MACHINERY) and STAMP_WARNING not in reply(outbox, MACHINERY)
    assert BAD_ID_SHOWN in reply(outbox, MACHINERY)

    # undo the acceptance: the warning is open again, on the page and in the next publish
    page.goto(f"{base}/")
    page.click(f"table.units a:text-is('{MACHINERY}')")
    page.click("table.candidates a:text-is('曹文博')")
    warning = page.locator("li.finding", has_text=STAMP_WARNING)
    warning.locator("form.undo input[name=reason]").fill("需再核对")
    warning.locator("form.undo button").click()
    expect(page.locator("li.finding", has_text=STAMP_WARNING).locator(".state")).to_have_text("待处理")
    history = page.locator("li.finding", has_text=STAMP_WARNING).locator("details.history")
    history.locator("summary").click()
    expect(history).to_contain_text(f"已由{STAFF}于")
    shutil.rmtree(outbox)
    invoke("publish", "--store", str(store), "--outbox", str(outbox), "--no-dossiers")
    assert STAMP_WARNING in open_list(report(outbox)) and STAMP_WARNING in reply(outbox, MACHINERY)
    page.close()


def _follow_bio_link(page, outbox: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((outbox / "reports" / f"exceptions-{DEMO_DAY}.html").as_uri())
    item = page.locator("li.finding", has_text="未提供300字左右的个人简介")
    item.locator("a", has_text="在工作台处理").click()


def test_a_report_link_opens_the_finding_in_the_workspace(workspace, browser, tmp_path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """From the report (another site: the session cookie is SameSite=Strict) to the
    finding's place on its candidate's page; through the log-in page when logged out."""
    base, store, _ = workspace
    monkeypatch.setenv("INTAKE_WEB_URL", base)
    outbox = tmp_path / "outbox"
    invoke("publish", "--store", str(store), "--outbox", str(outbox), "--no-dossiers")
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base)
    _follow_bio_link(page, outbox)
    expect(page.locator("h1")).to_have_text("麦嘉俊")
    anchor = page.url.split("#")[1]
    expect(page.locator(f"li.finding#{anchor}")).to_contain_text("未提供300字左右的个人简介")
    page.close()

    stranger = browser.new_page()  # type: ignore[attr-defined]
    _follow_bio_link(stranger, outbox)
    expect(stranger.locator("h1")).to_have_text("登录")
    stranger.fill("input[name=name]", STAFF)
    stranger.fill("input[name=password]", PASSWORD)
    stranger.click("form[action='/login'] button")
    expect(stranger.locator("h1")).to_have_text("麦嘉俊")
    assert stranger.url.endswith(f"#{anchor}")
    stranger.close()


def _settle_everything_on(page) -> int:  # type: ignore[no-untyped-def]
    """Every open error and warning of the page accepted, one after another."""
    settled = 0
    while (forms := page.locator("li.finding details.act")).count():
        form = forms.first
        form.locator("summary").click()
        form.locator("input[value=waived]").check()
        form.locator("input[name=reason]").fill("逐条核实后不予追究")
        with page.expect_navigation():
            form.locator("button", has_text="保存").click()
        settled += 1
    return settled


def test_staff_can_settle_every_finding_of_the_demo_and_the_next_report_is_clear(
        browser, tmp_path: Path) -> None:
    """Done when (issue 12): the demo's report gone through in the browser, every finding
    settled, and the next report lists nothing still open."""
    build_demo_store(tmp_path / "store", tmp_path / "demo-outbox")
    with running_server(tmp_path / "store") as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        log_in(page, base)
        units = page.locator("table.units a").all_inner_texts()
        settled = 0
        for unit in units:
            page.goto(f"{base}/")
            page.click(f"table.units a:text-is('{unit}')")
            settled += _settle_everything_on(page)
            for name in page.locator("table.candidates a").all_inner_texts():
                page.click(f"table.candidates a:text-is('{name}')")
                settled += _settle_everything_on(page)
                page.click(f".crumbs a:text-is('{unit}')")
        page.goto(f"{base}/")
        assert settled == 15
        assert [total(page, label) for label in ("待处理错误", "待处理警告", "已处理")] == ["0", "0", "15"]
        page.close()
    outbox = tmp_path / "outbox"
    invoke("publish", "--store", str(tmp_path / "store"), "--outbox", str(outbox),
           "--no-dossiers")
    html = report(outbox)
    assert "没有待处理的错误或警告。" in html and "暂无需要索要或更正的材料。" in html
    assert "已处理（15条" in html
    assert list((outbox / "replies").glob("*.eml")) == []


@pytest.mark.parametrize("path", ["/", "/candidates/3", "/search?q=PUBLIC_NOTICE_MISSING"])
def test_pages_fit_a_phone_screen(workspace, browser, path: str) -> None:
    base, _, _ = workspace
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    log_in(page, base)
    page.goto(base + path)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    page.close()
