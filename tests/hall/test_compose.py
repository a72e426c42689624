import ipaddress
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.capabilities import require

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose_config() -> dict:
    """The compose file as docker compose resolves it (interpolated, defaults filled in)."""
    require("compose")
    command = ["docker-compose"] if shutil.which("docker-compose") else ["docker", "compose"]
    result = subprocess.run(
        [*command, "-f", str(ROOT / "docker-compose.yml"), "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "hall.example.gov.cn"},
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def host_addresses(service: dict) -> list[str]:
    """The host address each published port binds to ("" = every interface). docker-compose 1.x prints
    ports as "127.0.0.1:8000:8000/tcp", docker compose 2.x as mappings with a host_ip."""
    addresses = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            addresses.append(port.get("host_ip", ""))
        else:
            parts = str(port).split(":")
            addresses.append(parts[0] if len(parts) == 3 else "")
    return addresses


def test_docker_compose_file_validates_and_declares_the_services(compose_config):
    assert set(compose_config["services"]) == {"postgres", "redis", "web", "worker", "beat"}


def test_no_service_publishes_a_port_on_every_interface(compose_config):
    published = {name: host_addresses(service) for name, service in compose_config["services"].items()}
    assert published["web"] == ["127.0.0.1"]  # the host's reverse proxy is the way in
    assert {name: hosts for name, hosts in published.items() if hosts and name != "web"} == {}


def test_the_application_trusts_only_the_address_the_hosts_proxy_arrives_from(compose_config):
    web = compose_config["services"]["web"]
    [network] = compose_config["networks"]["default"]["ipam"]["config"]
    trusted = web["environment"]["HALL_TRUSTED_PROXIES"]
    # Traffic through the published port arrives from the network's gateway, and only that is trusted.
    assert trusted == network["gateway"]
    assert ipaddress.ip_address(trusted) in ipaddress.ip_network(network["subnet"])
