"""Credentials from a Prefect Secret block, loaded only when one is configured."""

from __future__ import annotations


def prefect_secret(name: str) -> str:
    """The value of the Secret block ``name`` (imports Prefect only when called)."""
    from prefect.blocks.system import Secret

    return Secret.load(name).get()
