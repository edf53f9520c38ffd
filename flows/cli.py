"""The ``intake`` command: a group whose commands are loaded only when called.

Each command lives in its own module under ``flows/`` and is named here, in ``COMMANDS``,
by a "module:attribute" string with its one-line help (click's documented pattern,
"Lazily loading subcommands"). ``intake --help`` therefore imports click and nothing of
the project, and each command imports only what it uses: ``user`` no OCR, ``status`` no
extractors, ``run`` no web server, nothing but ``serve`` Prefect.
``tests/test_architecture.py`` reads this table as imports of this module (a cycle
through it is still a cycle) and checks that every entry resolves to its command.
"""

from __future__ import annotations

import importlib

import click

from flows.options import DEMO_INBOX as DEMO_INBOX  # named here by tests and scripts

# name → ("module:attribute", the first line of its help, which --help shows without
# importing it; tests/test_cli.py holds the two to the same words)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("flows.run_commands:demo",
             "A full pass over the bundled demo packages (invented people), no mailbox needed."),
    "publish": ("flows.run_commands:publish",
                "Rebuild everything in the outbox from the store, without reading any mail."),
    "run": ("flows.run_commands:run",
            "One full pass: fetch (when a mailbox is configured), process what is new, publish."),
    "serve": ("flows.serve:serve", "Run the daily flow on its schedule (Prefect), until stopped."),
    "status": ("flows.status:status",
               "The last runs, a run in progress, and the next scheduled run (Beijing time)."),
    "user": ("flows.users:user", "Staff accounts of the review workspace (intake web)."),
    "web": ("flows.workspace:web",
            "The staff review workspace in the browser, over the store, until stopped."),
}


def load_command(target: str) -> click.Command:
    """The command a "module:attribute" string names, imported now."""
    module, attribute = target.split(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command


class LazyGroup(click.Group):
    """Subcommands from ``COMMANDS``, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return load_command(COMMANDS[name][0])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup)
def main() -> None:
    """衡阳市“卓越工程师”申报材料收件处理 — submission intake for the Excellent Engineer selection."""


if __name__ == "__main__":
    main()
