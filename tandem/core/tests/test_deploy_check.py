"""Production settings pass Django's deployment checklist with no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")

# Variables the test run sets that a production server would not have.
TEST_ONLY = ("DEBUG", "TANDEM_TESTING", "TASKS_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE")


def production_env(var_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY}
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="tandem.example.org",
        TANDEM_VAR_DIR=str(var_dir),
    )
    return env


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_settings_refuse_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, MANAGE, "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
