"""The Chinese catalogue must cover every UI string: a new string without a translation fails here."""

import shutil
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
    # Extract afresh from a copy of the sources and the catalogue. In the checkout itself makemessages
    # would write to the checkout's catalogue (it takes any "locale" folder it walks past as the
    # place for the files beside it), and a copy of the catalogue alone would never see a new string.
    source = tmp_path / "source"
    for part in ("apps", "hall", "templates", "locale"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", source)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=source,
        check=True,
        capture_output=True,
        env={"PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin", "PYTHONPATH": str(source)},
    )
    missing = _untranslated(source / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert missing == [], "untranslated or fuzzy strings; run `make messages` and translate:\n" + "\n".join(
        missing
    )


def test_the_compiled_catalogue_is_current():
    require("msgfmt")
    po = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    compiled = subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True, check=True).stdout
    assert mo.read_bytes() == compiled, "locale .mo is stale: run `make messages`"
