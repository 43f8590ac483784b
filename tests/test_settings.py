from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.lib.env import Env, EnvError

README = Path(__file__).resolve().parents[1] / "README.md"


def declared() -> dict[str, str]:
    from django.conf import settings

    import handoff.settings as module

    assert settings.configured
    return {name: var.doc for name, var in module.env.declared.items()}


def test_every_setting_is_documented_in_the_readme() -> None:
    section = README.read_text().split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", section, re.MULTILINE))
    assert documented == set(declared())


def test_a_misspelt_variable_is_an_error_not_a_silent_default() -> None:
    env = Env({"HANDOFF_DEBGU": "true"})
    env.flag("HANDOFF_DEBUG", False, "doc")
    with pytest.raises(EnvError, match="HANDOFF_DEBGU"):
        env.check_unknown()


@pytest.mark.parametrize(
    ("method", "value", "message"),
    [
        ("flag", "maybe", "expected true or false"),
        ("integer", "ten", "expected a whole number"),
        ("integer", "-1", "must be at least 0"),
    ],
)
def test_bad_values_are_named(method: str, value: str, message: str) -> None:
    env = Env({"HANDOFF_X": value})
    with pytest.raises(EnvError, match=message):
        getattr(env, method)("HANDOFF_X", 0 if method == "integer" else False, "doc")


def test_the_command_line_reports_bad_configuration_clearly(tmp_path: Path) -> None:
    env = {**os.environ, "HANDOFF_DATA_DIR": str(tmp_path), "HANDOFF_LOG_LEVEL": "LOUD"}
    result = subprocess.run(
        [sys.executable, "-m", "handoff.cli", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "HANDOFF_LOG_LEVEL='LOUD': expected one of DEBUG, INFO, WARNING, ERROR" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_generated_secret_key_stays_out_of_the_repository(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HANDOFF_SECRET_KEY"}
    env["HANDOFF_DATA_DIR"] = str(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "handoff.cli", "check"], env=env, check=True, capture_output=True
    )
    key = tmp_path / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(key.read_text()) >= 50


def default_mailer(data_dir: Path, **variables: str) -> str:
    """settings.MAILERS["default"] as a fresh process builds it from these variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    env |= {"HANDOFF_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "handoff.settings"}
    env |= variables
    show = "from django.conf import settings; print(settings.MAILERS['default'])"
    result = subprocess.run(
        [sys.executable, "-c", show], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_mail_out_is_written_into_a_folder_unless_told_otherwise(tmp_path: Path) -> None:
    default = default_mailer(tmp_path)
    assert "django.core.mail.backends.filebased.EmailBackend" in default
    assert repr(str(tmp_path / "sent-mail")) in default
    assert repr(str(tmp_path / "out")) in default_mailer(
        tmp_path, HANDOFF_MAIL_DIR=str(tmp_path / "out")
    )
    assert "smtp.EmailBackend" in default_mailer(tmp_path, HANDOFF_MAIL_OUT="smtp")
