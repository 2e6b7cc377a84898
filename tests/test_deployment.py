"""The deployment files agree with each other and with the settings.

docker-compose.yml, .env.example, the Dockerfile and .ci/run are read as text or YAML; nothing
is built or started, so these tests need neither Docker nor a database.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# env.str("NAME", env.db_url("NAME", env.list("NAME", ..., env_bool("NAME", env_int("NAME".
# A call that passes the name in a variable (env_bool's own body) is not a variable read.
SETTINGS_READ = re.compile(r"""\benv(?:\.[a-z_]+|_bool|_int)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
# gunicorn.conf.py's os.environ.get("NAME", ...).
GUNICORN_READ = re.compile(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""")
# NAME=value, or "# NAME=value" for a variable left at its default.
ENV_EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")

APP_SERVICES = ("web", "worker", "beat")


def settings_variables() -> set[str]:
    """The variables the settings and gunicorn.conf.py read."""
    names: set[str] = set()
    for path in sorted((ROOT / "wgsom" / "settings").glob("*.py")):
        names.update(SETTINGS_READ.findall(path.read_text(encoding="utf-8")))
    names.update(GUNICORN_READ.findall((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")))
    return names


def env_example() -> dict[str, str]:
    """Variable -> value as .env.example lists it, commented out or not."""
    listed: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ENV_EXAMPLE_LINE.match(line)
        if match:
            name, value = match.groups()
            assert name not in listed, f".env.example lists {name} twice"
            listed[name] = value
    return listed


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def environment_of(service: dict) -> dict[str, str | None]:
    """A service's `environment:`, in either of compose's forms (mapping or KEY=value list)."""
    environment = service.get("environment") or {}
    if isinstance(environment, dict):
        return environment
    return dict(item.split("=", 1) if "=" in item else (item, None) for item in environment)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical: list[str] = []
    current = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (entry.split(None, 1) for entry in logical)
    ]


# The settings -----------------------------------------------------------------------------


def test_settings_variable_scan_finds_the_variables_the_settings_read():
    # Guards the regex: a scan that found nothing would make the tests below pass vacuously.
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= (
        settings_variables()
    )


def test_env_example_lists_every_variable_the_settings_read():
    missing = settings_variables() - set(env_example())
    assert not missing, f".env.example does not list {sorted(missing)}"


def test_env_example_lists_only_variables_the_settings_read():
    unknown = set(env_example()) - settings_variables()
    assert not unknown, f".env.example lists {sorted(unknown)}, which no setting reads"


def test_env_example_describes_each_variable_in_a_comment_with_its_default():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = ENV_EXAMPLE_LINE.match(line)
        if not match:
            continue
        comment: list[str] = []
        for previous in reversed(lines[:index]):
            if not previous.startswith("#") or ENV_EXAMPLE_LINE.match(previous):
                break
            comment.append(previous)
        assert comment, f"{match.group(1)} has no comment above it"
        assert any("Default" in text for text in comment), f"{match.group(1)}: no default given"


def test_env_example_holds_no_real_secret_key():
    assert "change-me" in env_example()["DJANGO_SECRET_KEY"]


# docker-compose.yml -----------------------------------------------------------------------


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_services_read_env_file_and_point_at_compose_db_and_redis(compose, service):
    definition = compose["services"][service]
    env_files = definition["env_file"]
    assert ".env" in ([env_files] if isinstance(env_files, str) else env_files)
    environment = environment_of(definition)
    assert urlsplit(environment["DATABASE_URL"]).hostname == "db"
    assert urlsplit(environment["REDIS_URL"]).hostname == "redis"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_services_set_only_variables_the_settings_read(compose, service):
    # db's POSTGRES_* are the postgres image's own variables, not the project's settings.
    unknown = set(environment_of(compose["services"][service])) - settings_variables()
    assert not unknown, f"{service} sets {sorted(unknown)}, which no setting reads"


# Dockerfile and CI ------------------------------------------------------------------------


def test_dockerfile_runs_as_a_non_root_user():
    instructions = dockerfile_instructions()
    users = [args for name, args in instructions if name == "USER"]
    assert users, "the Dockerfile has no USER instruction"
    assert users[-1].split(":")[0] not in {"root", "0"}
    names = [name for name, _ in instructions]
    last_user = len(names) - 1 - names[::-1].index("USER")
    assert last_user < names.index("CMD")


@pytest.mark.parametrize("target", ["lint", "migrations-check", "test"])
def test_ci_script_runs_make_target(target):
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines if not line.lstrip().startswith("#")]
    pattern = re.compile(rf"(?:^|[;&|]\s*)\s*make\s+{re.escape(target)}(?:\s|$)")
    assert any(pattern.search(line) for line in commands), f".ci/run never runs make {target}"


def test_ci_script_is_strict_and_executable():
    path = ROOT / ".ci" / "run"
    assert "set -euo pipefail" in path.read_text(encoding="utf-8")
    assert os.access(path, os.X_OK)
