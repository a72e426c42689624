"""The Chinese catalogue must cover every UI string: a new string without a translation fails here."""

import subprocess
import sys
from pathlib import Path

from tests.capabilities import require

ROOT = Path(__file__).resolve().parents[2]


def _untranslated(po_path: Path) -> list[str]:
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    entries = [line for line in (result.stdout + fuzzy.stdout).splitlines() if line.startswith("msgid ")]
    return [e for e in entries if e != 'msgid ""']


def test_every_ui_string_has_a_chinese_translation(tmp_path):
    require("xgettext", "msgfmt")
    # Extract afresh into a copy of the catalogue, so that a string added to code shows up here.
    work = tmp_path / "locale"
    subprocess.run(["cp", "-r", str(ROOT / "locale"), str(work)], check=True)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            ".venv/*",
            "--ignore",
            "staticfiles/*",
            "--ignore",
            "tests/*",
            "--ignore",
            "benchmarks/*",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={"PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin", "HALL_LOCALE_DIR": str(work)},
    )
    missing = _untranslated(work / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert missing == [], "untranslated or fuzzy strings; run `make messages` and translate:\n" + "\n".join(
        missing
    )


def test_the_compiled_catalogue_is_current():
    require("msgfmt")
    po = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    compiled = subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True, check=True).stdout
    assert mo.read_bytes() == compiled, "locale .mo is stale: run `make messages`"
