"""Every setting of a run in one place: the options the commands give, and the one frozen
``RunConfig`` that ``configure`` makes of them.

``RunOptions`` is what the command line and the Prefect flow build from their arguments;
pydantic checks the types when it is made. ``configure`` then reads what comes from the
environment (INTAKE_IMAP_*, INTAKE_SMTP_*, INTAKE_DASK_*, INTAKE_LIMIT_*, INTAKE_WEB_URL),
loads the campaign file, resolves the OCR engine and checks that every setting can work.
It is the run's first stage after its row in the store exists, so a bad setting (a broken
campaign file included) fails the run before any work, with a failure report that names
it. Below it nothing reads the environment or the clock: every stage, ``intake publish``,
the flow and the workspace read the ``RunConfig``. The clock is read here too, once per
run (``run_clock``), for the day the checks treat as today and the time the outputs say
they were made.
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
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, field_validator

from extractors.limits import Limits, env_name, limit_names
from extractors.ocr.registry import DEFAULT as DEFAULT_OCR_ENGINE
from extractors.ocr.registry import engine_by_name, engine_problem, known_engines, resolve_name
from extractors.runtime.conversion import CONVERTERS
from pipeline.model.campaign import DEFAULT_CAMPAIGN, Campaign, load_campaign
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
    outbox: Path | None = None  # where the dossiers are (a candidate's page offers its own)
    smtp: SmtpSettings | None = None  # 补正通知 sent from a unit's page; None: .eml download


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


# Person-facing days and times are Asia/Shanghai's: the run's day is taken here, before
# the campaign file (which names the same zone) is read, so that a broken file still
# leaves a run row and a report dated right.
SHANGHAI = ZoneInfo("Asia/Shanghai")
NO_OCR = "none"  # the OCR engine name that reads no scan (kinds from file names only)


@dataclass(frozen=True)
class OcrChoice:
    """The engine that reads scans, resolved once per run: a registered name ("default"
    already replaced by the engine it stands for) and its version; or ``NO_OCR``."""

    name: str = NO_OCR
    version: str = ""

    @property
    def reads(self) -> bool:
        return self.name != NO_OCR


@dataclass(frozen=True)
class RunConfig:
    """Every setting of one run, checked, frozen; what every stage reads."""

    inbox: Path | None
    outbox: Path | None
    store_dir: Path
    campaign: Campaign
    as_of: dt.date  # the date checks and the report treat as today
    now: dt.datetime  # when the run began: the time its outputs say they were made
    converter_name: str
    ocr: OcrChoice
    limits: Limits
    cluster: ClusterSettings | None  # the Dask cluster that reads the messages; None: here
    mailbox: MailboxSettings | None  # None: the drop folder only
    smtp: SmtpSettings | None  # None: the report is not sent
    web_url: str | None  # the review workspace's base URL, for the report's links
    dossiers: bool = False  # publishing builds the experts' dossiers (LibreOffice)
    flow_run_id: str | None = None  # the Prefect flow run driving this run

    @property
    def report_recipients(self) -> tuple[str, ...]:
        return self.smtp.recipients if self.smtp is not None else ()


class RunOptions(BaseModel):
    """What a command was given; ``configure`` makes the run's ``RunConfig`` of it."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    inbox: Path | None  # the drop folder; None: none read (a rebuild from the store)
    outbox: Path | None  # None: nothing written (the workspace)
    store_dir: Path
    converter_name: str = "libreoffice"
    campaign_path: Path = DEFAULT_CAMPAIGN
    as_of: dt.date | None = None  # the date checks and the report treat as today
    now: dt.datetime | None = None  # when the run began; None: the clock's time
    ocr_engine: str = NO_OCR  # engine that reads scans (extractors.ocr), "default", or "none"
    dossiers: bool = False  # the experts' dossiers built at publishing (`intake publish`)
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
    # What one message or file may cost (extractors.limits): given here, or the defaults
    # with INTAKE_LIMIT_<NAME> from the environment over them.
    limits: Limits | None = None
    # Messages read on a Dask cluster: its scheduler's address, or "local"; None: the
    # address in INTAKE_DASK_ADDRESS if set, else here, one message after another.
    dask_address: str | None = None
    dask_worker_timeout: float | None = None  # None: INTAKE_DASK_WORKER_TIMEOUT, else 120 s
    flow_run_id: str | None = None  # the Prefect flow run driving this run, kept in its row
    lock_wait: float = RUN_WAIT  # s to wait for another run on the store (pipeline.store.lock)

    @field_validator("ocr_engine", mode="before")
    @classmethod
    def _no_engine(cls, name: str | None) -> str:
        """"none", empty or None: read no scan."""
        return NO_OCR if name is None or name.strip().lower() in ("", NO_OCR) else name.strip()


@dataclass(frozen=True)
class RunClock:
    """The run's day and start, read once when it starts."""

    as_of: dt.date
    now: dt.datetime


def run_clock(options: RunOptions, last_run_day: dt.date | None = None) -> RunClock:
    """The day the checks treat as today: as given; else, for a rebuild from the store
    (``intake publish``, the workspace), the last run's day, so that it shows what that run
    published; else today in Asia/Shanghai."""
    now = options.now or dt.datetime.now(SHANGHAI)
    return RunClock(options.as_of or last_run_day or now.astimezone(SHANGHAI).date(), now)


def configure(options: RunOptions, clock: RunClock,
              environ: Mapping[str, str] | None = None) -> RunConfig:
    """The run's configuration, every setting checked; SettingsError (naming the setting)
    for the first that cannot work."""
    env = os.environ if environ is None else environ
    _check_paths(options)
    campaign = _campaign(options.campaign_path)
    try:
        mailbox = options.mailbox or (MailboxSettings.from_env(env, options.secret_loader)
                                      if options.mailbox_from_env else None)
        smtp = options.smtp or (SmtpSettings.from_env(env) if options.smtp_from_env else None)
    except ValueError as error:
        raise SettingsError(f"配置错误：{error}") from error
    return RunConfig(
        inbox=options.inbox, outbox=options.outbox, store_dir=options.store_dir,
        campaign=campaign, as_of=clock.as_of, now=clock.now,
        converter_name=options.converter_name, ocr=ocr_choice(options.ocr_engine),
        limits=options.limits or limits_from_env(env),
        cluster=cluster_settings(options, env), mailbox=mailbox, smtp=smtp,
        web_url=_web_url(options, env), flow_run_id=options.flow_run_id,
        dossiers=options.dossiers)


def failure_config(options: RunOptions, clock: RunClock,
                   environ: Mapping[str, str] | None = None) -> RunConfig:
    """What the failure report of a run whose configuration failed is written and sent
    with: the paths and the clock as given, the campaign file if it can be read, else the
    bundled one (for the office's name on the report), and SMTP if it can be read (a bad
    OCR setting must not keep the failure notice from going out); no other service."""
    env = os.environ if environ is None else environ
    try:
        campaign = load_campaign(options.campaign_path)
    except (OSError, ValueError, KeyError, TypeError):
        campaign = load_campaign(DEFAULT_CAMPAIGN)
    try:
        smtp = options.smtp or (SmtpSettings.from_env(env) if options.smtp_from_env else None)
    except ValueError:
        smtp = None
    return RunConfig(
        inbox=options.inbox, outbox=options.outbox, store_dir=options.store_dir,
        campaign=campaign, as_of=clock.as_of, now=clock.now,
        converter_name=options.converter_name, ocr=OcrChoice(), limits=options.limits or Limits(),
        cluster=None, mailbox=None, smtp=smtp, web_url=None, flow_run_id=options.flow_run_id)


def _check_paths(options: RunOptions) -> None:
    if options.converter_name not in CONVERTERS:
        raise SettingsError(f"配置错误：未知的文档转换引擎“{options.converter_name}”"
                            f"（可用：{'、'.join(sorted(CONVERTERS))}）")
    if not options.campaign_path.is_file():
        raise SettingsError(f"配置错误：活动配置文件不存在：{options.campaign_path}")
    if options.inbox is not None and not options.inbox.is_dir():
        raise SettingsError(f"配置错误：收件目录不存在：{options.inbox}")


def _campaign(path: Path) -> Campaign:
    """The campaign file, read and checked whole: a missing key, a bad date or a broken
    TOML file is a setting that cannot work, like any other."""
    try:
        return load_campaign(path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = f"缺少“{error.args[0]}”" if type(error) is KeyError else str(error)
        raise SettingsError(f"配置错误：活动配置文件无法读取：{path}（{reason}）") from error


def _web_url(options: RunOptions, env: Mapping[str, str]) -> str | None:
    """The workspace's base URL, or None; SettingsError if it is not an http(s) URL."""
    url = options.web_url or (env.get(WEB_URL_VARIABLE, "") if options.web_url_from_env else "")
    return checked_web_url(url.strip()) if url.strip() else None


def ocr_choice(name: str) -> OcrChoice:
    """The engine ``name`` stands for here, with its version; SettingsError when it is
    unknown or cannot run on this machine."""
    if name == NO_OCR:
        return OcrChoice()
    problem = engine_problem(name)
    if problem is not None:
        if name != DEFAULT_OCR_ENGINE and name not in known_engines():
            names = [DEFAULT_OCR_ENGINE, *known_engines(), NO_OCR]
            raise SettingsError(f"配置错误：未知的OCR引擎“{name}”（可用：{'、'.join(names)}）")
        raise SettingsError(f"配置错误：OCR引擎“{name}”在本机无法运行：{problem}")
    resolved = resolve_name(name)  # the registered name: workers make the engine by it
    return OcrChoice(resolved, engine_by_name(resolved).version)


def cluster_settings(options: RunOptions, env: Mapping[str, str]) -> ClusterSettings | None:
    """The Dask cluster to read messages on, None for none; SettingsError if the address
    or the timeout cannot work."""
    address = (options.dask_address or env.get(DASK_ADDRESS_ENV) or "").strip()
    if address.lower() in ("", "none"):
        return None
    if not CLUSTER_ADDRESS.match(address):
        raise SettingsError(f"配置错误：Dask 集群地址“{address}”无效"
                            "（应为 local 或 tcp://主机:端口）")
    return ClusterSettings(address, _worker_timeout(options, env))


def _worker_timeout(options: RunOptions, env: Mapping[str, str]) -> float:
    if options.dask_worker_timeout is not None:
        value = str(options.dask_worker_timeout)
    else:
        value = env.get(DASK_WORKER_TIMEOUT_ENV, "").strip() or str(DASK_WORKER_TIMEOUT)
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not seconds > 0 or math.isinf(seconds):
        raise SettingsError(f"配置错误：{DASK_WORKER_TIMEOUT_ENV} 应为正的秒数，而不是“{value}”")
    return seconds


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
