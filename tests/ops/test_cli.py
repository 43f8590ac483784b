"""The `handoff` command line: Handoff's own commands up front, Django's behind `handoff django`,
and a database that gets its tables before the first command that needs them."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import load_command_class
from django.core.management.base import BaseCommand

import handoff.ops.management.commands
from tests.helpers import mail

HANDOFF = [sys.executable, "-m", "handoff.cli"]
COMMANDS = sorted(
    path.stem
    for path in Path(handoff.ops.management.commands.__path__[0]).glob("*.py")
    if not path.stem.startswith("_")
)


def handoff(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HANDOFF, *args], env=env, capture_output=True, text=True)


@pytest.fixture
def empty_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An environment whose database has no tables at all (make_scratch_env migrates)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    env["HANDOFF_DATA_DIR"] = str(tmp_path)
    env.pop("DATABASE_URL", None)
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        yield env
        return
    address = f"{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}"
    name = f"handoff_empty_{os.getpid()}"
    with psycopg.connect(f"postgresql://{address}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"postgres://{address}/{name}"
    yield env
    with psycopg.connect(f"postgresql://{address}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["help"]], ids=str)
def test_the_help_lists_exactly_handoffs_commands_on_one_screen(
    empty_env: dict[str, str], args: list[str]
) -> None:
    result = handoff(empty_env, *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    listed = [line.split()[0] for line in lines if line.startswith("  ")]
    assert listed == COMMANDS
    assert len(lines) <= 30
    assert max(len(line) for line in lines) <= 100
    assert "handoff django COMMAND" in lines[-1]
    assert "migrate" not in listed


def test_the_help_gives_each_command_the_first_sentence_of_its_own(
    empty_env: dict[str, str],
) -> None:
    lines = handoff(empty_env, "--help").stdout.splitlines()
    export = next(line for line in lines if line.startswith("  export "))
    assert export.split(None, 1)[1] == "Export data as JSON lines."  # "Only `messages`..." cut


@pytest.mark.parametrize("args", [["help", "export"], ["export", "--help"]], ids=str)
def test_a_commands_own_help_neither_lists_others_nor_touches_the_database(
    empty_env: dict[str, str], args: list[str]
) -> None:
    result = handoff(empty_env, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: handoff export")
    assert "new database" not in result.stderr
    assert not (Path(empty_env["HANDOFF_DATA_DIR"]) / "handoff.sqlite3").exists()


def test_handoff_django_runs_djangos_commands_and_they_still_work_directly(
    empty_env: dict[str, str],
) -> None:
    checked = handoff(empty_env, "django", "check")
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout
    assert handoff(empty_env, "django", "migrate", "--help").stdout.startswith(
        "usage: handoff django migrate"
    )
    direct = handoff(empty_env, "check")
    assert direct.returncode == 0, direct.stderr
    # Django's commands are left alone: no tables made behind their back.
    assert "new database" not in checked.stderr + direct.stderr


def test_import_on_an_empty_desk_creates_the_tables_first(
    empty_env: dict[str, str], tmp_path: Path
) -> None:
    eml = tmp_path / "first.eml"
    eml.write_bytes(mail("first@client.example", subject="Bonjour"))
    result = handoff(empty_env, "import", "--json", str(eml))
    assert result.returncode == 0, result.stderr
    assert "handoff: new database, creating its tables (" in result.stderr
    summary = json.loads(result.stdout)
    assert (summary["read"], summary["stored"], summary["tickets"]) == (1, 1, 1)

    again = handoff(empty_env, "import", "--json", str(eml))
    assert "database" not in again.stderr  # the schema is current: nothing said, nothing done
    assert json.loads(again.stdout)["duplicates"] == 1


def test_a_command_applies_the_migrations_a_database_lacks(make_scratch_env: Any) -> None:
    env = make_scratch_env()
    assert handoff(env, "migrate", "sessions", "zero", "-v0").returncode == 0
    result = handoff(env, "export", "messages")
    assert result.returncode == 0, result.stderr
    assert "handoff: applying 1 new database migration (" in result.stderr
    assert handoff(env, "migrate", "--check").returncode == 0


# What every command has, from Django: not the command's own to document.
BASE_OPTIONS = {action.dest for action in BaseCommand().create_parser("handoff", "base")._actions}


def undocumented(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            described = {choice.dest for choice in action._choices_actions if choice.help}
            for name, subparser in action.choices.items():
                if name not in described:
                    missing.append(f"{prefix}{name}")
                missing += undocumented(subparser, f"{prefix}{name} ")
        elif not (action.help or action.dest in BASE_OPTIONS):
            missing.append(prefix + (action.option_strings or [action.dest])[0])
    return missing


@pytest.mark.parametrize("name", COMMANDS)
def test_every_argument_of_a_command_says_what_it_is_for(name: str) -> None:
    parser = load_command_class("handoff.ops", name).create_parser("handoff", name)
    assert undocumented(parser) == []
