"""The prior-honoree list staff keep (CSV or XLSX with columns 姓名, 证件号码, 荣誉)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from extractors.filetypes import XLSX_SUFFIXES
from pipeline.checks.context import PriorHonoree
from pipeline.model.campaign import Campaign


def load_prior_honorees(campaign: Campaign) -> list[PriorHonoree]:
    path = campaign.prior_honorees
    if path is None:
        return []
    rows = _xlsx_rows(path) if path.suffix.lower() in XLSX_SUFFIXES else _csv_rows(path)
    return [PriorHonoree(name=r.get("姓名", "").strip(),
                         id_number=(r.get("证件号码") or "").strip().upper() or None,
                         honour=(r.get("荣誉") or "").strip())
            for r in rows if (r.get("姓名") or "").strip()]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]
