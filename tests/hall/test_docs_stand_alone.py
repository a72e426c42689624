"""The documentation stands alone: a newcomer with this repository and nothing else can read all of it.

Every text file in docs/ and the README is checked for pointers outside the repository (the design
notes the project started from lived in a sibling folder, ``../shared``, which a clone does not have),
for machine paths, and for links and ``docs/…`` names that lead nowhere.
"""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# The top-level folders of a Unix file system (and of macOS, and a home shorthand): a path starting with
# one of them names a place on someone's machine, not in the repository. The project's URL paths
# (/api/, /verify/, /admin/ …) never start with one of these.
MACHINE_ROOTS = [
    "bin",
    "boot",
    "dev",
    "etc",
    "home",
    "lib",
    "lib64",
    "media",
    "mnt",
    "opt",
    "proc",
    "root",
    "run",
    "sbin",
    "srv",
    "sys",
    "tmp",
    "usr",
    "var",
    "Users",
    "Volumes",
    "private",
]
STOP = r"""\s`'"()<>\[\]{},;"""
MACHINE_PATH = re.compile(
    rf"(?<![\w.:/~-])/(?:{'|'.join(MACHINE_ROOTS)})(?=/|[{STOP}.:]|$)[^{STOP}]*"
    rf"|(?<![\w/])~/[^{STOP}]*"
    rf"|\bfile://[^{STOP}]+"
    r"|\b[A-Za-z]:\\\S*"
)
PARENT_PATH = re.compile(rf"(?<![\w.-])(?:\.\./)+[^{STOP}]*")
INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FENCED = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
DOCS_NAME = re.compile(r"(?<![\w./-])docs/[\w./-]*[\w/]")


def documents() -> list[Path]:
    """The README and every file in docs/ that is text (the sample workbook is not)."""
    found = [ROOT / "README.md"]
    for path in sorted(DOCS.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            try:
                path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            found.append(path)
    return found


def markdown() -> list[Path]:
    return [path for path in documents() if path.suffix == ".md"]


def _inside(path: Path) -> bool:
    return path == ROOT or ROOT in path.parents


def outside_pointers(text: str, *, at: Path) -> list[str]:
    """What in ``text`` (the file ``at``) points outside the repository or at a machine's own files."""
    found = []
    if "../shared" in text:
        found.append("../shared")
    # The folder holding this checkout, spelled out (e.g. /work/shared/DESIGN.md, /work/main/docs/…).
    for spelled in {f"{ROOT.parent.as_posix().rstrip('/')}/", f"{ROOT.as_posix()}/"} - {"/"}:
        if spelled in text:
            found.append(spelled)
    found += [match.group(0) for match in MACHINE_PATH.finditer(text)]
    for match in PARENT_PATH.finditer(text):
        if not _inside((at.parent / match.group(0)).resolve()):
            found.append(match.group(0))
    return sorted(set(found))


def _prose(text: str) -> str:
    """Markdown without its code: brackets in code are not links."""
    return INLINE_CODE.sub("", FENCED.sub("", text))


def broken_links(text: str, *, at: Path) -> list[str]:
    """Relative markdown links of ``text`` (the file ``at``) whose file is missing or outside."""
    prose = _prose(text)
    broken = []
    for target in [*INLINE_LINK.findall(prose), *REFERENCE_LINK.findall(prose)]:
        if target.startswith("#") or SCHEME.match(target):
            continue
        path = unquote(re.split(r"[#?]", target, maxsplit=1)[0])
        if not path:
            continue
        resolved = (ROOT / path.lstrip("/")) if path.startswith("/") else (at.parent / path)
        resolved = resolved.resolve()
        if not _inside(resolved) or not resolved.exists():
            broken.append(target)
    return broken


def missing_docs_names(text: str) -> list[str]:
    """``docs/…`` files named in ``text`` that the repository does not have."""
    return [name for name in DOCS_NAME.findall(text) if not (ROOT / name).exists()]


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", documents(), ids=_name)
def test_no_document_points_outside_the_repository(path):
    assert outside_pointers(path.read_text(encoding="utf-8"), at=path) == []


@pytest.mark.parametrize("path", markdown(), ids=_name)
def test_relative_links_lead_to_files_of_the_repository(path):
    assert broken_links(path.read_text(encoding="utf-8"), at=path) == []


@pytest.mark.parametrize("path", markdown(), ids=_name)
def test_the_docs_files_a_document_names_exist(path):
    assert missing_docs_names(path.read_text(encoding="utf-8")) == []


def test_the_docs_a_newcomer_needs_are_here_and_listed_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("architecture", "domain", "state-machines", "code-lists", "working-days", "security"):
        assert (DOCS / f"{name}.md").is_file(), name
        assert f"docs/{name}.md" in readme, name


# --- the checks themselves catch what they are for ---------------------------------------------------

A_DOC = DOCS / "example.md"


@pytest.mark.parametrize(
    "text",
    [
        "The domain reference is `../shared/DESIGN.md`.",
        "See ../shared/GLOSSARY.md, section Checksums.",
        f"Read {ROOT.parent.as_posix()}/shared/PATTERNS.md first.",
        f"Open {ROOT.as_posix()}/docs/domain.md.",
        "Notes in /home/lead/notes.md",
        "copied from /tmp/design.md",
        "see ~/hall/notes.md",
        "file:///srv/docs/index.html",
        "the glossary (../../GLOSSARY.md)",
    ],
)
def test_an_outside_pointer_is_found(text):
    assert outside_pointers(text, at=A_DOC)


@pytest.mark.parametrize(
    "text",
    [
        "`/api/v1/filings/{id}/`, `/verify/<token>/`, `/admin/`, `/ops/jobs/`",
        "stored under `HALL_VAR_DIR/media`, served at http://127.0.0.1:8000/var/x",
        "the state graphs are in `docs/state-machines.md` and ../README.md",
        "`./var/hall.sqlite3` and `apps/worktime/calendar.py`",
        "kombu's `filesystem://` transport and a `file://` result backend",
    ],
)
def test_repository_paths_and_url_paths_are_not_outside_pointers(text):
    assert outside_pointers(text, at=A_DOC) == []


def test_a_broken_relative_link_is_found_and_a_good_one_passes():
    text = (
        "[domain](domain.md), [state](state-machines.md#filing), [readme](../README.md), "
        "[site](https://example.org/x.md), [top](#the-hall)\n"
        "[gone](missing.md) [out](../../elsewhere/DESIGN.md)\n"
        "```\n[not a link](nowhere.md)\n```\n"
        "[ref]: no-such-file.md\n"
    )
    assert broken_links(text, at=A_DOC) == ["missing.md", "../../elsewhere/DESIGN.md", "no-such-file.md"]


def test_a_missing_docs_name_is_found():
    assert missing_docs_names("see `docs/domain.md` and `docs/glossary.md`.") == ["docs/glossary.md"]
