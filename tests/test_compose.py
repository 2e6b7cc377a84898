"""docker-compose.yml scaled out: the `replica` profile's streaming replica, web reading from it,
the Celery worker on every queue, and nothing but the proxy reachable from outside.

Docker is not needed: the file is read as YAML; `docker compose config -q --profile replica`
checks it where Docker is installed (the last test).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return command if isinstance(command, str) else " ".join(command)


def test_the_replica_profile_runs_a_streaming_replica_of_db():
    replica = SERVICES["replica"]
    assert replica["profiles"] == ["replica"]
    # The same image as the primary: a replica must run the primary's major version.
    assert replica["image"] == SERVICES["db"]["image"]
    command = command_text(replica)
    assert "pg_basebackup --host=db" in command
    # standby.signal and primary_conninfo, so that it follows db rather than starting alone.
    assert "--write-recovery-conf" in command
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    # A volume of its own: never db's files.
    volumes = {volume.split(":")[0] for volume in replica["volumes"]}
    assert volumes.isdisjoint(volume.split(":")[0] for volume in SERVICES["db"]["volumes"])


def test_db_accepts_replication_from_the_stacks_network():
    assert "host replication all all scram-sha-256" in command_text(SERVICES["db"])


def test_only_the_replica_belongs_to_a_profile():
    # Without a profile the stack is as before: web, worker, beat, db, redis and the proxy.
    profiled = {name for name, service in SERVICES.items() if service.get("profiles")}
    assert profiled == {"replica"}


def test_web_reads_from_the_replica_when_the_profile_is_on_and_from_db_otherwise():
    value = SERVICES["web"]["environment"]["DATABASE_REPLICA_URL"]
    # ${COMPOSE_PROFILES:+url}: the url when COMPOSE_PROFILES is set (replica, the only
    # profile), empty otherwise, and empty means no replica and no router.
    match = re.fullmatch(r"\$\{COMPOSE_PROFILES:\+(?P<url>[^}]+)\}", value)
    assert match, value
    url = urlsplit(match["url"])
    assert (url.scheme, url.hostname, url.path) == ("postgres", "replica", "/wgsom")
    dependency = SERVICES["web"]["depends_on"]["replica"]
    assert dependency == {"condition": "service_healthy", "required": False}


def test_only_the_proxy_publishes_ports_whatever_the_profile():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}


def test_the_worker_consumes_every_queue():
    # Without -Q a worker consumes every queue of CELERY_TASK_QUEUES; a worker given some
    # queues only would leave the others' tasks waiting.
    command = command_text(SERVICES["worker"])
    assert "celery -A wgsom worker" in command
    assert "-Q" not in command.split()


def test_docker_compose_accepts_the_file_with_the_replica_profile():
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        pytest.skip("docker compose is not installed")
    if not (ROOT / ".env").exists():
        pytest.skip("no .env, which the app services read (cp .env.example .env)")
    result = subprocess.run(
        [docker, "compose", "--profile", "replica", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"COMPOSE_PROFILES": "replica", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    assert result.returncode == 0, result.stderr
