"""Every output written on its own: one that fails (a bug) never stops the others.

``publish`` writes register.json, register.xlsx, the reply drafts and the daily report
(xlsx and HTML), each under its own guard. An output that raises becomes an
``OUTPUT_FAILED`` finding on the run, naming the file and the error; the others are still
written, and the report lists what failed. The report is written last, so that it knows
about every failure before it; if one of its own two files fails, the other is written
again to say so. A file that could not be written keeps its previous version, if any
(writes are atomic), and the next run writes it again (``pipeline.run`` does not skip a
run after one with failed outputs).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Register
from pipeline.outputs.dossier import DOSSIERS_DIR, DossierConverter, Reader, write_dossiers
from pipeline.outputs.register_json import write_register_json
from pipeline.outputs.register_xlsx import write_register_xlsx
from pipeline.outputs.replies import write_reply_drafts
from pipeline.outputs.report import REPORTS_DIR, report_stem
from pipeline.outputs.report_html import render_report_html
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import build_view
from pipeline.outputs.report_xlsx import report_workbook_bytes
from pipeline.outputs.roster import ROSTER_XLSX, write_roster
from pipeline.outputs.sanitise import sanitised
from pipeline.review.workspace import Reviewed
from pipeline.store.files import write_atomically

log = logging.getLogger(__name__)

REGISTER_JSON = "register.json"
REGISTER_XLSX = "register.xlsx"
REPLIES = "replies/"


@dataclass(frozen=True)
class RegisterSettings:
    """What register.xlsx needs beside the register (from the campaign and the store)."""

    youth_cutoff: str
    division_levels: tuple[str, ...]
    files_root: Path | None
    # the campaign's: times in the register as a person there reads them (None: as stored)
    zone: ZoneInfo | None = None


@dataclass(frozen=True)
class DossierSettings:
    """What the experts' dossiers and roster need: the stored files, LibreOffice, the campaign."""

    read: Reader
    converter: DossierConverter
    campaign: Campaign

    @property
    def title(self) -> str:
        return self.campaign.name.removesuffix("选树活动")


@dataclass
class Publication:
    """What was written into the outbox, and what could not be."""

    outbox: Path
    written: list[Path] = field(default_factory=list)
    failures: list[Finding] = field(default_factory=list)  # OUTPUT_FAILED, one per output
    report: ReportInput | None = None  # what the report showed, once it was made

    def attempt(self, name: str, write: Callable[[], list[Path]]) -> bool:
        """``write`` under a guard: its files, or a finding naming ``name`` and the error."""
        try:
            paths = write()
        except Exception as error:  # a bug in a writer: the run and the other outputs go on
            log.exception("output %s not written", name)
            self.failures.append(output_failed(self.outbox, name, error))
            return False
        self.written += paths
        return True


def output_failed(outbox: Path, name: str, error: Exception) -> Finding:
    kept = (outbox / name).exists() and name != REPLIES
    consequence = "目录中仍为上次生成的版本" if kept else "目录中暂无此文件"
    return Finding.of("OUTPUT_FAILED", file=name, reason=f"{type(error).__name__}: {error}",
                      consequence=consequence)


def publish(register: Register | None, settings: RegisterSettings,
            report: Callable[[], ReportInput], outbox: Path,
            reviewed: Reviewed | None = None,
            dossiers: DossierSettings | None = None) -> Publication:
    """Every output, each on its own; ``report`` makes the report's input (it reads the
    store). Without a register (a failed run) only the drafts and the report are written;
    ``reviewed`` shows staff decisions in the register's files; with ``dossiers`` the
    experts' dossiers are built too (``intake publish``)."""
    outbox.mkdir(parents=True, exist_ok=True, mode=0o700)
    done = Publication(outbox)
    if register is not None:
        done.attempt(REGISTER_JSON, lambda: _register_json(register, outbox, reviewed, settings.zone))
        done.attempt(REGISTER_XLSX, lambda: _register_xlsx(register, settings, outbox, reviewed))
        if dossiers is not None:
            done.attempt(f"{DOSSIERS_DIR}/", lambda: _dossiers(register, dossiers, done))
        if dossiers is not None and reviewed is not None:
            done.attempt(ROSTER_XLSX, lambda: write_roster(reviewed, dossiers.campaign, outbox))
    data: list[ReportInput] = []
    if done.attempt("reports/", lambda: _made(data, report)):
        done.report = data[0]
        publish_report(data[0], done)
    return done


def publish_report(data: ReportInput, done: Publication) -> None:
    """The reply drafts, then the report's two files, each knowing every failure so far."""
    done.attempt(REPLIES, lambda: write_reply_drafts(data, done.outbox))
    stem = f"{REPORTS_DIR}/{report_stem(data.report_date)}"
    parts: dict[str, Callable[[ReportInput], bytes]] = {
        f"{stem}.xlsx": lambda shown: report_workbook_bytes(build_view(shown)),
        f"{stem}.html": lambda shown: render_report_html(build_view(shown)).encode("utf-8"),
    }
    told: dict[str, int] = {}  # how many failures each written part lists
    for _ in range(2):  # a second pass only to tell a written part of a later failure
        for name, render in parts.items():
            failed = any(f.file == name for f in done.failures)
            if failed or told.get(name) == len(done.failures):
                continue
            known = len(done.failures)
            shown = sanitised(dataclasses.replace(data, output_failures=list(done.failures)))
            if done.attempt(name, lambda: _write(done.outbox / name, render(shown))):
                told[name] = known
        if all(told.get(name, len(done.failures)) == len(done.failures) for name in parts):
            break


def _register_json(register: Register, outbox: Path, reviewed: Reviewed | None,
                   zone: ZoneInfo | None) -> list[Path]:
    write_register_json(register, outbox / REGISTER_JSON, reviewed, zone)
    return [outbox / REGISTER_JSON]


def _register_xlsx(register: Register, settings: RegisterSettings, outbox: Path,
                   reviewed: Reviewed | None) -> list[Path]:
    write_register_xlsx(register, outbox / REGISTER_XLSX, settings.youth_cutoff,
                        settings.division_levels, settings.files_root, reviewed, zone=settings.zone)
    return [outbox / REGISTER_XLSX]


def _dossiers(register: Register, settings: DossierSettings, done: Publication) -> list[Path]:
    """Every candidate's dossier; one that fails is an OUTPUT_FAILED of its own."""
    built = write_dossiers(register, settings.read, settings.converter, done.outbox, settings.title)
    for name, error in built.failed:
        done.failures.append(output_failed(done.outbox, f"{DOSSIERS_DIR}/{name}", error))
    return built.written + built.unchanged


def _made(into: list[ReportInput], make: Callable[[], ReportInput]) -> list[Path]:
    into.append(make())
    return []


def _write(path: Path, content: bytes) -> list[Path]:
    write_atomically(path, content)
    return [path]
