"""The settings a cluster run and a deployment read, the order packages are saved in,
and the run summary's table; no server needed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.deployment import DeployRefused, project_root
from flows.options import PROJECT_ROOT, project_path
from pipeline.run import ExtractedMessage, ExtractJob, RunSummary
from pipeline.run_summary import failure_markdown, summary_markdown
from pipeline.settings import (
    ClusterSettings,
    OcrChoice,
    RunClock,
    RunOptions,
    SettingsError,
    cluster_settings,
    configure,
)
from pipeline.stages import in_job_order

CLOCK = RunClock(dt.date(2025, 4, 15), dt.datetime(2025, 4, 15, 9, 0, tzinfo=dt.timezone.utc))


def _options(tmp_path: Path, **values) -> RunOptions:
    return RunOptions(inbox=tmp_path, outbox=tmp_path / "o", store_dir=tmp_path / "s", **values)


def test_the_cluster_comes_from_the_option_else_from_the_environment(tmp_path: Path) -> None:
    assert cluster_settings(_options(tmp_path), {}) is None
    env = {"INTAKE_DASK_ADDRESS": "tcp://10.0.0.5:8786"}
    assert cluster_settings(_options(tmp_path), env) == ClusterSettings("tcp://10.0.0.5:8786", 120.0)
    assert cluster_settings(_options(tmp_path, dask_address="local"), env) == ClusterSettings("local")
    assert cluster_settings(_options(tmp_path), {**env, "INTAKE_DASK_WORKER_TIMEOUT": "7.5"}) == \
        ClusterSettings("tcp://10.0.0.5:8786", 7.5)
    assert cluster_settings(_options(tmp_path, dask_address="none"), {}) is None
    assert cluster_settings(_options(tmp_path, dask_address="[::1]:8786"), {}) is not None
    assert configure(_options(tmp_path), CLOCK, env).cluster == \
        ClusterSettings("tcp://10.0.0.5:8786", 120.0)  # what the run reads


@pytest.mark.parametrize(("values", "env", "words"), [
    ({"dask_address": "tcp://host:port/x"}, {}, "Dask 集群地址“tcp://host:port/x”无效"),
    ({"dask_address": "local"}, {"INTAKE_DASK_WORKER_TIMEOUT": "soon"},
     "INTAKE_DASK_WORKER_TIMEOUT 应为正的秒数，而不是“soon”"),
    ({"dask_address": "local", "dask_worker_timeout": 0}, {}, "应为正的秒数"),
])
def test_a_cluster_setting_that_cannot_work_is_refused(tmp_path: Path, values, env, words) -> None:
    with pytest.raises(SettingsError, match=words):
        configure(_options(tmp_path, **values), CLOCK, env)


def test_intake_run_with_a_bad_address_fails_before_any_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", "--no-fetch", "--inbox", str(tmp_path),
                                       "--outbox", str(tmp_path / "o"), "--store",
                                       str(tmp_path / "s"), "--dask", "tcp://a b"])
    assert result.exit_code == 1
    assert "本次运行失败：配置错误：Dask 集群地址“tcp://a b”无效" in result.output


def _job(n: int) -> ExtractJob:
    return ExtractJob(Path("/s"), f"{n:064d}", f"m{n}", "libreoffice", OcrChoice(), None)


def test_packages_are_handed_on_in_the_jobs_order_whatever_order_they_finish() -> None:
    jobs = [_job(n) for n in range(4)]
    done = [(jobs[n], ExtractedMessage(None, None)) for n in (2, 0, 3, 1)]  # type: ignore[arg-type]
    assert [job for job, _ in in_job_order(jobs, iter(done))] == jobs
    # a run cut short keeps the finished ones that every earlier one is finished for
    assert [job for job, _ in in_job_order(jobs, iter(done[:2]))] == [jobs[0]]


def test_relative_paths_are_the_projects_or_intake_homes(tmp_path: Path, monkeypatch) -> None:
    assert project_path("inbox") == PROJECT_ROOT / "inbox"
    assert project_path(tmp_path) == tmp_path
    monkeypatch.setenv("INTAKE_HOME", str(tmp_path))
    assert project_path("state") == tmp_path / "state"


def test_the_deploy_step_names_this_checkout_or_refuses(monkeypatch) -> None:
    assert project_root() == {"directory": str(PROJECT_ROOT)}
    monkeypatch.setenv("INTAKE_HOME", "/srv/intake")  # the workers' checkout
    assert project_root() == {"directory": "/srv/intake"}
    monkeypatch.setenv("INTAKE_HOME", "intake")
    with pytest.raises(DeployRefused, match="not an absolute path"):
        project_root()


def test_the_run_summary_is_a_table_in_chinese() -> None:
    summary = RunSummary(messages_new=3, packages_processed=3, candidates=7, open_findings=21,
                         report_sending="报告已发送1份", durations={"process": 12.25},
                         outputs=[Path("/o/register.json")])
    text = summary_markdown(summary)
    assert text.startswith("## 本次运行完成\n\n| 项目 | 本次运行 |\n|---|---|\n| 新邮件 | 3 封 |")
    for row in ("| 人选 | 7 名 |", "| 待处理问题 | 21 条 |", "| 报告发送 | 报告已发送1份 |",
                "| 用时：处理邮件 | 12.2 秒 |", "- `/o/register.json`"):
        assert row in text
    failed = failure_markdown("集群无可用工作节点：a|b", [])
    assert "| 原因 | 集群无可用工作节点：a\\|b |" in failed and "| 失败报告 | 未能写入 |" in failed
