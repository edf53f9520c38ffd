"""The prior-honoree list staff keep, as CSV or XLSX, read into the checks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline.checks.honorees import load_prior_honorees
from pipeline.model.campaign import DEFAULT_CAMPAIGN, load_campaign

ROWS = [("姓名", "证件号码", "荣誉"), ("周立衡", "430406198603121234", "衡阳市卓越工程师（2023）"),
        ("李四", "", "衡州工匠")]


def _campaign_with(tmp_path: Path, honorees: Path):
    text = DEFAULT_CAMPAIGN.read_text(encoding="utf-8").replace(
        'prior_honorees = ""', f'prior_honorees = "{honorees.name}"')
    config = tmp_path / "campaign.toml"
    config.write_text(text, encoding="utf-8")
    return load_campaign(config)


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "honorees.csv"
    path.write_text("\n".join(",".join(r) for r in ROWS), encoding="utf-8-sig")  # Excel's BOM
    return path


def _xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "honorees.xlsx"
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("make", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_the_list_is_read_from_csv_and_xlsx(tmp_path: Path, make) -> None:
    honorees = load_prior_honorees(_campaign_with(tmp_path, make(tmp_path)))
    assert [(h.name, h.id_number, h.honour) for h in honorees] == [
        ("周立衡", "430406198603121234", "衡阳市卓越工程师（2023）"), ("李四", None, "衡州工匠")]


def test_no_list_configured_means_no_honorees() -> None:
    assert load_prior_honorees(load_campaign()) == []
