import shutil
import subprocess
from pathlib import Path

from tests.capabilities import require

ROOT = Path(__file__).resolve().parents[2]


def test_docker_compose_file_validates_and_declares_the_services(tmp_path):
    require("compose")
    command = ["docker-compose"] if shutil.which("docker-compose") else ["docker", "compose"]
    result = subprocess.run(
        [*command, "-f", str(ROOT / "docker-compose.yml"), "config", "--services"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "hall.example.gov.cn"},
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"postgres", "redis", "web", "worker", "beat"}
