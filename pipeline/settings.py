"""Every setting of a run in one model: paths, campaign, converter, OCR, limits, mailbox,
SMTP.

``RunOptions`` is what the command line and the Prefect flow build from their arguments;
pydantic checks the types when it is made. ``RunOptions.services`` then reads what comes
from the environment (INTAKE_IMAP_*, INTAKE_SMTP_*, INTAKE_DASK_*) and checks that every
setting can work. It is the run's first stage after its row in the store exists, so a bad setting
fails the run before any work, with a failure report that names the setting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, field_validator

from extractors.limits import Limits, env_name, limit_names
from extractors.ocr.registry import DEFAULT as DEFAULT_OCR_ENGINE
from extractors.ocr.registry import engine_problem, known_engines
from extractors.runtime.conversion import CONVERTERS
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.outputs.mailer import SmtpSettings
from pipeline.sources.mailbox import MailboxSettings
from pipeline.store.lock import RUN_WAIT


class SettingsError(ValueError):
    """A setting that cannot work; the text (Chinese) names it."""


WEB_URL_VARIABLE = "INTAKE_WEB_URL"


def checked_web_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"配置错误：{WEB_URL_VARIABLE}“{url}”不是http://或https://开头的网址")
    return url.rstrip("/")


class WorkspaceOptions(BaseModel):
    """``intake web``: where it listens, which store it reviews, how the checks run."""

    model_config = ConfigDict(frozen=True)

    store_dir: Path
    campaign_path: Path = DEFAULT_CAMPAIGN
    host: str = "127.0.0.1"
    port: int = 8700
    as_of: dt.date | None = None  # default: the last run's day, as ``intake publish``
    secure_cookie: bool = False  # set behind HTTPS: the cookie then never travels in clear
    session_idle: dt.timedelta = dt.timedelta(hours=2)
    session_max: dt.timedelta = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Services:
    """The outside services a run talks to, as configured; None: not used."""

    mailbox: MailboxSettings | None
    smtp: SmtpSettings | None


# A Dask scheduler's address ("tcp://10.0.0.5:8786", "tls://…", "10.0.0.5:8786"), or
# "local" for a cluster started by the run itself.
CLUSTER_ADDRESS = re.compile(r"^(local|([a-z]+://)?(\[[0-9a-fA-F:]+\]|[^\s/:\[\]]+)(:\d+)?)$")
DASK_ADDRESS_ENV = "INTAKE_DASK_ADDRESS"
DASK_WORKER_TIMEOUT_ENV = "INTAKE_DASK_WORKER_TIMEOUT"
DASK_WORKER_TIMEOUT = 120.0  # s a run waits with no Dask worker alive before it fails


@dataclass(frozen=True)
class ClusterSettings:
    """The Dask cluster that reads the messages of a run (``flows/cluster.py``)."""

    address: str  # the scheduler's, or "local"
    worker_timeout: float = DASK_WORKER_TIMEOUT

    @property
    def local(self) -> bool:
        return self.address == "local"


class RunOptions(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    inbox: Path
    outbox: Path
    store_dir: Path
    converter_name: str = "libreoffice"
    campaign_path: Path = DEFAULT_CAMPAIGN
    as_of: dt.date | None = None  # the date checks and the report treat as today
    now: dt.datetime | None = None
    ocr_engine: str | None = None  # engine that reads scans (extractors.ocr); None: names only
    # The mailbox: given here, or read from INTAKE_IMAP_* when the run starts
    # (mailbox_from_env); neither: the drop folder only.
    mailbox: MailboxSettings | None = None
    mailbox_from_env: bool = False
    secret_loader: Callable[[str], str] | None = None  # reads a Prefect Secret block
    # SMTP for sending the report: given here, or read from INTAKE_SMTP_* when it starts.
    smtp: SmtpSettings | None = None
    smtp_from_env: bool = True
    # The review workspace's address (``intake web``), for the report's links: given here,
    # or INTAKE_WEB_URL; neither: the report links nowhere.
    web_url: str | None = None
    web_url_from_env: bool = True

    def workspace_url(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The workspace's base URL, or None; SettingsError if it is not an http(s) URL."""
        env = os.environ if environ is None else environ
        url = self.web_url or (env.get(WEB_URL_VARIABLE, "") if self.web_url_from_env else "")
        return checked_web_url(url.strip()) if url.strip() else None

    # What one message or file may cost (extractors.limits): given here, or the defaults
    # with INTAKE_LIMIT_<NAME> from the environment over them.
    limits: Limits | None = None
    # Messages read on a Dask cluster: its scheduler's address, or "local"; None: the
    # address in INTAKE_DASK_ADDRESS if set, else here, one message after another.
    dask_address: str | None = None
    dask_worker_timeout: float | None = None  # None: INTAKE_DASK_WORKER_TIMEOUT, else 120 s
    flow_run_id: str | None = None  # the Prefect flow run driving this run, kept in its row
    lock_wait: float = RUN_WAIT  # s to wait for another run on the store (pipeline.store.lock)

    @field_validator("ocr_engine")
    @classmethod
    def _no_engine(cls, name: str | None) -> str | None:
        """"none" reads no scan (kinds from file names only)."""
        return None if name is None or name.strip().lower() in ("", "none") else name

    def services(self, environ: Mapping[str, str] | None = None) -> Services:
        """The mailbox and SMTP settings, every setting checked; SettingsError if one
        cannot work."""
        env = os.environ if environ is None else environ
        self._check_local()
        self.intake_limits(env)
        self.cluster(env)
        try:
            mailbox = self.mailbox or (MailboxSettings.from_env(env, self.secret_loader)
                                       if self.mailbox_from_env else None)
            smtp = self.smtp or (SmtpSettings.from_env(env) if self.smtp_from_env else None)
        except ValueError as error:
            raise SettingsError(f"配置错误：{error}") from error
        return Services(mailbox, smtp)

    def intake_limits(self, environ: Mapping[str, str] | None = None) -> Limits:
        """The limits of this run; SettingsError naming the variable for a bad value."""
        return self.limits or limits_from_env(os.environ if environ is None else environ)

    def cluster(self, environ: Mapping[str, str] | None = None) -> ClusterSettings | None:
        """The Dask cluster to read messages on, None for none; SettingsError if the
        address or the timeout cannot work."""
        env = os.environ if environ is None else environ
        address = (self.dask_address or env.get(DASK_ADDRESS_ENV) or "").strip()
        if address.lower() in ("", "none"):
            return None
        if not CLUSTER_ADDRESS.match(address):
            raise SettingsError(f"配置错误：Dask 集群地址“{address}”无效"
                                "（应为 local 或 tcp://主机:端口）")
        return ClusterSettings(address, self._worker_timeout(env))

    def _worker_timeout(self, env: Mapping[str, str]) -> float:
        if self.dask_worker_timeout is not None:
            value = str(self.dask_worker_timeout)
        else:
            value = env.get(DASK_WORKER_TIMEOUT_ENV, "").strip() or str(DASK_WORKER_TIMEOUT)
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not seconds > 0 or math.isinf(seconds):
            raise SettingsError(f"配置错误：{DASK_WORKER_TIMEOUT_ENV} 应为正的秒数，而不是“{value}”")
        return seconds

    def _check_local(self) -> None:
        self.workspace_url()
        if self.converter_name not in CONVERTERS:
            raise SettingsError(f"配置错误：未知的文档转换引擎“{self.converter_name}”"
                                f"（可用：{'、'.join(sorted(CONVERTERS))}）")
        self._check_ocr_engine()
        if not self.campaign_path.is_file():
            raise SettingsError(f"配置错误：活动配置文件不存在：{self.campaign_path}")
        if not self.inbox.is_dir():
            raise SettingsError(f"配置错误：收件目录不存在：{self.inbox}")

    def _check_ocr_engine(self) -> None:
        if self.ocr_engine is None:
            return
        problem = engine_problem(self.ocr_engine)
        if problem is None:
            return
        names = [DEFAULT_OCR_ENGINE, *known_engines(), "none"]
        if self.ocr_engine != DEFAULT_OCR_ENGINE and self.ocr_engine not in known_engines():
            raise SettingsError(f"配置错误：未知的OCR引擎“{self.ocr_engine}”（可用：{'、'.join(names)}）")
        raise SettingsError(f"配置错误：OCR引擎“{self.ocr_engine}”在本机无法运行：{problem}")


def limits_from_env(environ: Mapping[str, str]) -> Limits:
    """The default limits, each overridden by INTAKE_LIMIT_<NAME> when set (a positive number)."""
    defaults = Limits()
    values: dict[str, Any] = {}
    for name in limit_names():
        text = environ.get(env_name(name), "").strip()
        if not text:
            continue
        kind = type(getattr(defaults, name))
        try:
            value = kind(float(text)) if kind is int else float(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise SettingsError(f"配置错误：{env_name(name)} 应为正数，而不是“{text}”")
        values[name] = value
    return dataclasses.replace(defaults, **values)
