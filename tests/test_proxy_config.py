"""The production stack's proxy, read from the files that deploy it: deploy/nginx/nginx.conf,
gunicorn.conf.py and docker-compose.yml.

What the proxy does under slow clients and a 300 MB upload is measured on loopback by
`make bench-proxy` (benchmarks/proxy.py); these tests pin the settings that make it so, and
that nginx itself accepts the file.
"""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import resolve

from benchmarks.servers import nginx_configuration

ROOT = Path(__file__).resolve().parent.parent
NGINX = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
GUNICORN = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

SIZE_UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}


def directive(name: str, text: str = NGINX) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, flags=re.MULTILINE)


def seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(s|m)?", value).groups()
    return int(number) * (60 if unit == "m" else 1)


def size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg])?", value.lower()).groups()
    return int(number) * SIZE_UNITS.get(unit or "", 1)


def location(path: str) -> str:
    match = re.search(rf"location (?:= )?{re.escape(path)} \{{(.*?)\}}", NGINX, flags=re.DOTALL)
    assert match, f"no location {path} in nginx.conf"
    return match.group(1)


def test_the_version_and_the_application_server_are_not_announced():
    assert directive("server_tokens") == ["off"]
    assert "Server" in directive("proxy_hide_header")


def test_a_slow_client_is_cut_off_by_the_proxy_within_seconds():
    assert seconds(directive("client_header_timeout")[0]) <= 10
    assert seconds(directive("client_body_timeout")[0]) <= 30
    assert directive("proxy_request_buffering") == ["on"]
    assert directive("proxy_buffering") == ["on"]


def test_a_body_larger_than_any_upload_the_site_accepts_is_refused_by_the_proxy():
    largest_upload = max(
        settings.REPORT_ATTACHMENT_MAX_BYTES,
        settings.REPORT_IMPORT_MAX_UPLOAD_BYTES,
        settings.REPORTING_IMPORT_MAX_UPLOAD_BYTES,
    )
    limit = size(directive("client_max_body_size")[0])

    assert largest_upload < limit <= 2 * largest_upload


def test_headers_are_bounded():
    number, each = directive("large_client_header_buffers")[0].split()
    assert int(number) * size(each) <= 64 * 1024


@pytest.mark.parametrize(
    "path, zone",
    [
        ("/accounts/login/", "signin"),
        ("/accounts/password/", "signin"),
        ("/admin/login/", "signin"),
        ("/api/", "api"),
    ],
)
def test_sign_in_reset_and_the_api_are_limited_per_address(path, zone):
    assert f"limit_req zone={zone}" in location(path)
    assert re.search(rf"limit_req_zone \$binary_remote_addr zone={zone}:", NGINX)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/", "/admin/login/"])
def test_the_limited_locations_are_the_sites_sign_in_and_reset_pages(path):
    resolve(path)


def test_the_proxy_replaces_x_forwarded_for_with_the_address_it_saw():
    """Replaced, not appended to: whatever a client sent is gone, and Django, trusting one hop
    (DJANGO_TRUSTED_PROXY_DEPTH=1), reads the address nginx wrote."""
    assert set(directive("proxy_set_header X-Forwarded-For")) == {"$remote_addr"}
    assert "$proxy_add_x_forwarded_for" not in NGINX


def test_only_the_proxy_is_reachable_from_outside_the_stack():
    services = COMPOSE["services"]
    published = {name for name, service in services.items() if service.get("ports")}

    assert published == {"proxy"}
    assert services["web"]["environment"]["DJANGO_TRUSTED_PROXY_DEPTH"] == "1"


def test_gunicorn_runs_threaded_workers_with_short_timeouts():
    assert GUNICORN["worker_class"] == "gthread"
    assert GUNICORN["threads"] >= 2
    assert GUNICORN["timeout"] <= 30
    assert GUNICORN["limit_request_line"] <= 8190


def test_nginx_accepts_the_configuration(tmp_path):
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        message = "nginx is missing (apt-get install nginx)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI needs it.")
        pytest.skip(message)
    conf = nginx_configuration(tmp_path, upstream_port=8000, http_port=8080, https_port=8443)

    result = subprocess.run(
        ["nginx", "-t", "-c", str(conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": os.environ.get("PATH", "") + ":/usr/sbin"},
    )

    assert result.returncode == 0, result.stderr
