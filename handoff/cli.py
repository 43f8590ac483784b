"""The `handoff` command: Handoff's own commands, and Django's behind `handoff django`."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import handoff.ops.management.commands

PROG = "handoff"
HELP_FLAGS = {"-h", "--help"}
WIDTH = 100
# The end of a sentence: a full stop before a capital or the end ("e.g. after" goes on).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`])|\n\s*\n")


def handoff_commands() -> list[str]:
    """Every command in handoff/ops/management/commands, found as Django finds them."""
    from django.core.management import find_commands

    return sorted(find_commands(str(Path(handoff.ops.management.commands.__path__[0]).parent)))


def summary(help_text: str) -> str:
    """A command's help cut to its first sentence, on one line."""
    first = SENTENCE_END.split(help_text.strip(), maxsplit=1)[0]
    return " ".join(first.split())


def fit(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"


def overview() -> str:
    from django.core.management import load_command_class

    names = handoff_commands()
    column = max(len(name) for name in names) + 2
    lines = [
        f"Usage: {PROG} COMMAND [ARGS...]",
        "",
        "Commands:",
        *(
            fit(f"  {name:<{column}}{summary(load_command_class('handoff.ops', name).help)}")
            for name in names
        ),
        "",
        f"`{PROG} help COMMAND` or `{PROG} COMMAND --help` shows a command's own options.",
        "Django's commands (migrate, shell, createsuperuser, check, ...): "
        f"`{PROG} django COMMAND`.",
    ]
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> None:
    import django
    from django.core.management import ManagementUtility

    args = argv[1:]
    if not args or (len(args) == 1 and args[0] in {"help", *HELP_FLAGS}):
        django.setup()
        sys.stdout.write(overview())
        return
    if args[0] == "django":
        # Django names a command's program after argv[0]: "handoff django migrate --help".
        ManagementUtility([f"{PROG} django", *args[1:]]).execute()
        return
    if args[0] in handoff_commands() and not HELP_FLAGS & set(args[1:]):
        from handoff.ops.schema import ensure_schema

        django.setup()
        ensure_schema(sys.stderr)
    # Handoff's commands, `help COMMAND`, and Django's used directly (`handoff migrate -v0`).
    ManagementUtility([PROG, *args]).execute()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handoff.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        run(sys.argv)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"handoff: configuration error: {error}\n")
        sys.exit(2)
    except BrokenPipeError:
        # `handoff export messages | head`: the reader has what it wanted; leave at once,
        # without writing the rest to a closed pipe on the way out.
        os._exit(1)


if __name__ == "__main__":
    main()
