"""The run's log (pipeline/logs.py): state/logs/intake.log, a line per stage and per
message in Beijing time, rotated; the same lines in the Prefect flow run's log."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from flows.cli import main
from pipeline.logs import run_log
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.servers import wait_until

WHEN = dt.datetime(2025, 4, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) INFO ")
STAGE_LINES = ["[check-settings] 检查配置完成", "[fetch-mail] 收取邮件完成",
               "[collect-drop-folder] 读取收件目录完成", "[process-messages] 处理邮件完成",
               "[reuse-earlier-run] 判断有无新材料完成", "[check-register] 检查完成",
               "[sync-findings] 更新问题记录完成", "[publish-outputs] 发布完成",
               "[record-report] 记录报告完成", "[send-report] 发送报告完成"]


def _inbox(root: Path) -> dict[str, str]:
    inbox = root / "inbox"
    inbox.mkdir()
    for person in sample_people()[:2]:
        form, _ = build_form(person, "official")
        raw = build_eml("学会 <a@example.invalid>", "申报", "", [(f"{person.name}.docx", form)], WHEN)
        (inbox / f"{person.slug}.eml").write_bytes(raw)
    return {"inbox": str(inbox), "outbox": str(root / "outbox"), "store": str(root / "store"),
            "as_of": "2025-04-15", "ocr_engine": "none"}


def _in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
    return True


def test_a_run_writes_a_line_per_stage_and_per_message_in_beijing_time(tmp_path: Path) -> None:
    places = _inbox(tmp_path)
    before = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(microsecond=0, tzinfo=None)
    result = CliRunner().invoke(main, ["run", "--no-fetch", *(f"--{k.replace('_', '-')}={v}"
                                                              for k, v in places.items())])
    assert result.exit_code == 0, result.output
    after = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    text = (tmp_path / "store" / "logs" / "intake.log").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].endswith("INFO [start-run] 第1次运行开始，检查日期 2025-04-15")
    assert lines[-1].endswith("INFO [finish-run] 第1次运行结束：成功")
    for line in lines:
        stamp = STAMP.match(line)
        assert stamp, line
        assert before <= dt.datetime.fromisoformat(stamp.group(1)) <= after
    assert _in_order(text, STAGE_LINES[:3] + ["[extract-message] 已处理 1/2 封邮件：",
                                              "[extract-message] 已处理 2/2 封邮件：",
                                              *STAGE_LINES[3:]])
    assert "；处理 2 封，识别扫描页 0 页" in text and "；人选 2 名，待处理问题 " in text
    assert len(lines) == 14  # start, 10 stages, 2 messages, finish


def test_the_log_rotates(tmp_path: Path) -> None:
    logger = logging.getLogger("pipeline.test")
    with run_log(tmp_path) as path:
        for index in range(6000):
            logger.info("%d %s", index, "行" * 330)  # ~1 KB a line: 6 MB, over 5 MiB
    assert path.with_name("intake.log.1").exists()
    assert path.stat().st_size < 5 * 1024 * 1024
    assert path.read_text(encoding="utf-8").splitlines()[-1].split(" ")[3] == "5999"


@pytest.mark.slow
def test_the_same_lines_are_in_the_flow_runs_log(prefect_server, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    from flows.daily import daily_intake

    state = daily_intake(**_inbox(tmp_path), return_state=True)
    flow_run_id = state.state_details.flow_run_id
    expected = ["[start-run] 第1次运行开始", *STAGE_LINES[:3], "[extract-message] 已处理 2/2 封邮件：",
                *STAGE_LINES[3:], "[finish-run] 第1次运行结束：成功"]

    def messages() -> str:  # the logs reach the server in batches, a moment later
        with get_client(sync_client=True) as client:
            logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
        return "\n".join(log.message for log in sorted(logs, key=lambda log: log.timestamp))

    text = wait_until(lambda: (lambda m: m if _in_order(m, expected[-1:]) else "")(messages()),
                      60, "the last line in the flow run's log")
    assert _in_order(text, expected), text
    file_text = (tmp_path / "store" / "logs" / "intake.log").read_text(encoding="utf-8")
    assert "[publish-outputs] 发布完成" in file_text
