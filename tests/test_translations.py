"""Every interface string is translated into Finnish, Swedish and English, and the catalogues are current."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fi", "sv", "en"]
SOURCES = [
    "manage.py",
    "config",
    "background",
    "accounts",
    "practices",
    "awards",
    "library",
    "templates",
    "locale",
    "pyproject.toml",
]
MSGID = re.compile(r'^msgid "(.*)"$')


def catalogue(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def msgids(po: Path) -> set[str]:
    """The msgids of a .po file (first line of each; enough to compare two catalogues)."""
    return {m.group(1) for line in po.read_text(encoding="utf-8").splitlines() if (m := MSGID.match(line))} - {""}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_complete(language):
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue(language))],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, f"{language}: {result.stderr}"
    assert "fuzzy" not in result.stderr, f"{language}: {result.stderr}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_compiled(language, tmp_path):
    """The committed .mo is what the committed .po compiles to (the server reads only the .mo)."""
    po = catalogue(language)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run make messages"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)  # noqa: S603, S607
    assert fresh.read_bytes() == mo.read_bytes(), f"{mo} is out of date: run make messages"


def test_translations_catalogues_are_current(tmp_path):
    """A string added to the code or templates without running `make messages` fails here."""
    for name in SOURCES:
        source = ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(source, target)
    before = {language: msgids(catalogue(language)) for language in LANGUAGES}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "makemessages", *[f"-l{lang}" for lang in LANGUAGES], "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        after = msgids(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
        missing = sorted(after - before[language])
        assert not missing, f"{language}: strings not in the catalogue (run make messages): {missing[:20]}"
