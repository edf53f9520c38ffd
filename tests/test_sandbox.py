"""extractors.runtime.sandbox: a call under a time and memory cap in a worker process."""

from __future__ import annotations

import time

import pytest

from extractors.runtime.sandbox import CappedFailure, Caps, run_capped
from tests.fakes import (
    capped_crash,
    capped_echo,
    capped_hang,
    capped_hog,
    capped_raise,
    capped_recursion,
    capped_resident,
    capped_scatter,
)

CAPS = Caps(seconds=10, memory=512 * 1024 * 1024)


def test_a_call_returns_its_value() -> None:
    assert run_capped(capped_echo, {"页": [1, 2]}, caps=CAPS) == {"页": [1, 2]}


def test_an_exception_comes_back_as_raised() -> None:
    with pytest.raises(ValueError, match="坏文件"):
        run_capped(capped_raise, "坏文件", caps=CAPS)


def test_a_hanging_call_is_ended_at_its_time_cap() -> None:
    began = time.monotonic()
    with pytest.raises(CappedFailure) as failure:
        run_capped(capped_hang, 3600, caps=Caps(seconds=1, memory=CAPS.memory))
    assert failure.value.kind == "timeout"
    assert time.monotonic() - began < 8
    assert run_capped(capped_echo, 1, caps=CAPS) == 1  # the next call gets a fresh worker


def test_a_call_past_the_memory_cap_fails_as_memory() -> None:
    with pytest.raises(CappedFailure) as failure:
        run_capped(capped_hog, 2048, caps=CAPS)
    assert failure.value.kind == "memory"
    assert run_capped(capped_hog, 16, caps=CAPS) == 16 * 1024 * 1024


def test_a_crashing_call_fails_as_crash() -> None:
    with pytest.raises(CappedFailure) as failure:
        run_capped(capped_crash, caps=CAPS)
    assert failure.value.kind == "crash"
    assert run_capped(capped_echo, "again", caps=CAPS) == "again"


def test_deep_recursion_is_an_error_not_a_dead_worker() -> None:
    with pytest.raises(RecursionError):
        run_capped(capped_recursion, 1_000_000, caps=CAPS)


def test_a_worker_hands_a_call_s_freed_memory_back_between_calls() -> None:
    """Kept for later calls, a worker that stayed at its largest parse held 125 MiB through
    a 200-candidate run; freed memory is handed back after each call."""
    before = run_capped(capped_resident, caps=CAPS)
    during = run_capped(capped_scatter, 150, caps=CAPS)
    after = run_capped(capped_resident, caps=CAPS)
    assert during - before > 140 * 2**20
    assert after - before < 30 * 2**20
