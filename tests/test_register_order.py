"""One stable order for packages, units and candidates, whatever order packages were
saved in (a Dask run saves them as they finish)."""

from __future__ import annotations

from extractors.runtime.conversion import converter_by_name
from flows.cli import DEMO_INBOX
from pipeline.intake.packages import IntakeSettings, read_package_safely
from pipeline.model.models import Package
from pipeline.register.build import build_register


def _demo_packages() -> list[Package]:
    settings = IntakeSettings(converter=converter_by_name("libreoffice"))
    return [read_package_safely(path.read_bytes(), path.name, settings)
            for path in sorted(DEMO_INBOX.glob("*.eml"))]


def _order(packages: list[Package]) -> list[tuple[str, list[str]]]:
    register = build_register(packages)
    return [(unit.recommender, [c.name or "" for c in unit.candidates]) for unit in register.units]


def test_the_register_order_does_not_depend_on_the_order_packages_were_saved() -> None:
    packages = _demo_packages()
    forward = _order(packages)
    assert _order(list(reversed(packages))) == forward
    assert [unit for unit, _ in forward] == ["衡阳市机械工程学会", "衡阳高新区科协", "衡阳市计算机学会"]
    register = build_register(list(reversed(packages)))
    assert [p.source for p in register.packages] == sorted(p.name for p in DEMO_INBOX.glob("*.eml"))
    for unit in register.units:  # candidates in the order of the unit's summary table
        table = [row.name for row in unit.summary_rows if row.name]
        listed = [c.name for c in unit.candidates if c.name in table]
        assert listed == [name for name in table if name in listed]
