"""The ECharts the pages serve (static/vendor/echarts/, committed so that `make run` works offline) is
the npm registry's, byte for byte: the version pinned in package.json and package-lock.json, installed
into var/node by `make test` (`npm ci`, which checks the lock's integrity hash). A pin changed without
`make echarts` and a commit of the new copy fails here."""

import json
from pathlib import Path

import pytest

from tests.capabilities import REQUIRE_ALL

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "var" / "node" / "node_modules"
VENDORED = ROOT / "static" / "vendor" / "echarts"
COPIES = {
    "echarts.min.js": NODE / "echarts" / "dist" / "echarts.min.js",
    "LICENSE": NODE / "echarts" / "LICENSE",
    "NOTICE": NODE / "echarts" / "NOTICE",
    "LICENSE-zrender": NODE / "zrender" / "LICENSE",
}


@pytest.fixture
def installed():
    package = NODE / "echarts" / "package.json"
    if not package.exists():
        reason = f"ECharts is not installed from npm ({package}): run `make echarts` (or `make test`)"
        if REQUIRE_ALL:
            pytest.fail(f"HALL_REQUIRE_ALL=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return json.loads(package.read_text())


def test_the_installed_echarts_is_the_pinned_one(installed):
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["echarts"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/echarts"]
    assert installed["version"] == pinned == locked["version"]


@pytest.mark.parametrize("name", sorted(COPIES))
def test_the_committed_copy_is_npms_byte_for_byte(installed, name):
    assert (VENDORED / name).read_bytes() == COPIES[name].read_bytes(), (
        f"static/vendor/echarts/{name} is not npm's echarts {installed['version']}: "
        "run `make echarts` and commit the copy"
    )


def test_the_vendored_file_says_its_version(installed):
    assert f'version="{installed["version"]}"' in (VENDORED / "echarts.min.js").read_text()
