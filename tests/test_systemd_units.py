"""The example systemd units (deploy/systemd/): each restarts on failure, runs a command
this checkout has, and passes `systemd-analyze verify` with the checkout's paths."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from flows.cli import main
from tests.paths import ROOT

UNITS = ROOT / "deploy" / "systemd"
EXPECTED = {"prefect-server.service": ["prefect", "server", "start"],
            "prefect-worker.service": ["prefect", "worker", "start", "--pool"],
            "intake-serve.service": ["intake", "serve"],
            "intake-web.service": ["intake", "web"]}


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def test_every_unit_restarts_on_failure_and_runs_a_real_command() -> None:
    assert sorted(p.name for p in UNITS.glob("*.service")) == sorted(EXPECTED)
    for name, command in EXPECTED.items():
        unit = _unit(name)
        assert unit["Service"]["Restart"] == "on-failure", name
        words = unit["Service"]["ExecStart"].split()
        assert Path(words[0]).name == command[0] and words[1:len(command)] == command[1:], name
        if command[0] == "intake":
            assert command[1] in main.list_commands(None)  # type: ignore[arg-type]
    pool = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"][0]["work_pool"]["name"]
    assert _unit("prefect-worker.service")["Service"]["ExecStart"].split()[-1] == pool
    for name in ("prefect-server.service", "intake-serve.service", "prefect-worker.service"):
        assert "Environment=PREFECT_SERVER_ANALYTICS_ENABLED=false\n" in (UNITS / name).read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd not installed")
def test_the_units_verify_with_this_checkouts_paths(tmp_path: Path) -> None:
    for unit in UNITS.glob("*.service"):
        text = unit.read_text(encoding="utf-8").replace("/opt/intake", str(ROOT))
        lines = [line for line in text.splitlines() if not line.startswith("User=")]
        (tmp_path / unit.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    verified = subprocess.run(["systemd-analyze", "verify", *sorted(map(str, tmp_path.glob("*")))],
                              capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and verified.stderr == "", verified.stderr
