"""补正通知 from the workspace, in Debian's Chromium against a real ``intake web`` and a
real SMTP server (aiosmtpd on loopback): the draft as it will go, edited, sent once, the
unit marked 已发补正通知 and the sending audited; without SMTP the page says so and the
.eml is offered instead."""

from __future__ import annotations

import email
import os
import shutil
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.demo_store import MACHINERY, PASSWORD, STAFF
from tests.fakes import Mailbox, smtp_server
from tests.web_server import CHROMIUM, running_server

pytestmark = pytest.mark.slow

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (scripts/setup.sh installs it)", allow_module_level=True)

MACHINERY_ADDRESS = "jxxh_demo@example.invalid"  # the sender of the demo's first mail
SUBJECT = "关于2025年衡阳市“卓越工程师”申报材料的补正通知（衡阳市机械工程学会）"
ADDED = "另：请于本周内电话联系市科协。"
DOCS = Path(__file__).resolve().parents[1] / "docs"


def smtp_environment(port: int) -> dict[str, str]:
    return {"INTAKE_SMTP_HOST": "127.0.0.1", "INTAKE_SMTP_PORT": str(port),
            "INTAKE_SMTP_SECURITY": "none", "INTAKE_SMTP_FROM": "hykxxhb@example.invalid",
            "INTAKE_REPORT_TO": "staff@example.invalid"}


def log_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button")
    expect(page.locator("h1")).to_have_text("概况")


def notice_url(base: str, unit: str) -> str:
    return f"{base}/units/{quote(unit)}/notice"


def test_a_reviewer_sends_the_edited_notice_once_and_the_unit_is_marked(
        built: Path, tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    store = shutil.copytree(built, tmp_path / "store")
    mailbox = Mailbox()
    with smtp_server(mailbox) as port, \
            running_server(store, environment=smtp_environment(port)) as base:
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        log_in(page, base)
        page.goto(f"{base}/units/{quote(MACHINERY)}")
        page.click("text=核对并发送补正通知")
        expect(page.locator("input[name=to]")).to_have_value(MACHINERY_ADDRESS)
        expect(page.locator("input[name=subject]")).to_have_value(SUBJECT)
        body = page.locator("textarea[name=body]")
        assert "曹文博" in body.input_value()  # the list of what to fix, per candidate
        assert "2025年4月15日" in body.input_value()  # dated as of the checks' day
        body.fill(body.input_value() + "\n" + ADDED)
        if os.environ.get("INTAKE_SCREENSHOTS"):  # README's picture, remade on purpose only
            page.screenshot(path=str(DOCS / "workspace-notice.png"), full_page=True)
        digest = page.locator("input[name=digest]").input_value()
        csrf = page.locator("input[name=csrf]").first.input_value()
        page.click("form.notice-form button[type=submit]")
        expect(page.locator("p.contacted").first).to_contain_text("已发补正通知")
        expect(page.locator("form.notice-form button[type=submit]")).to_have_count(0)

        # pressed again (a second tab, a double click): nothing more goes out
        again = page.request.post(notice_url(base, MACHINERY), form={
            "csrf": csrf, "digest": digest, "to": MACHINERY_ADDRESS, "subject": SUBJECT,
            "body": "again"}, headers={"Origin": base})
        assert again.ok
        [envelope] = mailbox.envelopes
        assert envelope.rcpt_tos == [MACHINERY_ADDRESS]
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert message["Subject"] == SUBJECT
        text = message.get_content()
        assert ADDED in text and "曹文博" in text

        page.goto(f"{base}/units/{quote(MACHINERY)}")
        expect(page.locator("#contacts")).to_contain_text("已发补正通知")
        page.goto(f"{base}/audit")
        expect(page.locator("body")).to_contain_text("send_notice")
        page.close()


def test_without_smtp_the_page_says_so_and_offers_the_eml(built: Path, tmp_path: Path,
                                                          browser) -> None:  # type: ignore[no-untyped-def]
    store = shutil.copytree(built, tmp_path / "store")
    with running_server(store) as base:
        page = browser.new_page()
        log_in(page, base)
        page.goto(notice_url(base, MACHINERY))
        expect(page.locator("p.warning")).to_contain_text("未配置SMTP")
        expect(page.locator("form.notice-form button[type=submit]")).to_have_count(0)
        link = page.locator("p.warning a").get_attribute("href")
        response = page.request.get(f"{base}{link}")  # the browser's own session
        status, media, content = response.status, response.headers["content-type"], response.body()
        page.close()
    assert status == 200
    assert media.startswith("message/rfc822")
    eml = email.message_from_bytes(content, policy=default_policy)
    assert eml["To"] == MACHINERY_ADDRESS
    assert eml["Subject"] == SUBJECT
    assert "曹文博" in eml.get_content()
