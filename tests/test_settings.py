"""The production settings mode passes Django's deployment checks without a warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, **extra_env}
    # The browser tests set this for their own process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = run_check(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "lastensuojeluteko.example.fi",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    result = run_check({"DJANGO_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "example.fi"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_settings_fail_check_deploy():
    # The check is not a rubber stamp: development settings (DEBUG, no HSTS) are reported.
    result = run_check({"DJANGO_ENV": "development"})
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
