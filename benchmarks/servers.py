"""Servers for the loopback benchmarks: a throwaway database, gunicorn as the stack runs it,
and nginx with the stack's own configuration (deploy/nginx/nginx.conf).

Nothing outside a temporary folder is written but staticfiles/ (collectstatic's, ignored by
git) and, when DATABASE_URL names one, that database; every process started here is stopped by its
process id when the `with` block ends.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"


def fail(message: str) -> None:
    sys.exit(f"bench: {message}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], name: str, *, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"{name} stopped with status {process.returncode} before answering.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    fail(f"nothing answered at {url} within {timeout:.0f} s.")


def django_environment(folder: Path) -> dict[str, str]:
    """Production-like settings on the database named by DATABASE_URL, else a fresh SQLite."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wgsom.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "loopback-benchmark-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
    }
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and load the WGSOM data (and demonstration reports), as `make run` does."""
    for command in (["migrate", "--noinput"], ["load_wgsom"], ["load_demo_reports"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    # With debug off the pages need the static manifest (staticfiles/, ignored by git).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], url: str) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(url, process, " ".join(command[:3]))
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def gunicorn_command(port: int, *, workers: int, stack_config: bool = True) -> list[str]:
    """gunicorn with gunicorn.conf.py (the stack's), or as it ran before: sync workers alone."""
    if stack_config:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "/dev/null",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "wgsom.wsgi:application",
    ]


def nginx_configuration(
    folder: Path, *, upstream_port: int, http_port: int, https_port: int
) -> Path:
    """deploy/nginx/nginx.conf on loopback ports, with a self-signed certificate.

    Only addresses and paths change; every limit and timeout is the stack's. Debian's nginx
    1.22 predates the `http2 on;` directive (1.25), so HTTP/2 is left out here.
    """
    if not shutil.which("nginx"):
        fail("nginx is missing; install it (apt-get install nginx).")
    certs = folder / "certs"
    certs.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(certs / "privkey.pem"),
            "-out",
            str(certs / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    text = NGINX_CONF.read_text()
    replacements = [
        (r"server web:8000;", f"server 127.0.0.1:{upstream_port};"),
        (r"listen \[::\]:\d+( ssl)?;\n", ""),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        (r"\s*http2 on;", ""),
        (r"/etc/nginx/certs/", f"{certs}/"),
        (r"pid /tmp/nginx.pid;", f"pid {folder}/nginx.pid;"),
        (r"access_log /dev/stdout main;", "access_log off;"),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        if not count and "http2" not in pattern and "::" not in pattern:
            fail(
                f"deploy/nginx/nginx.conf no longer has {pattern!r}; update benchmarks/servers.py."
            )
    for name in ("client_body_temp", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp"):
        (folder / name).mkdir()
    text = text.replace(
        "http {",
        "http {\n"
        + "".join(
            f"    {name}_path {folder / name};\n"
            for name in (
                "client_body_temp",
                "proxy_temp",
                "fastcgi_temp",
                "uwsgi_temp",
                "scgi_temp",
            )
        ),
        1,
    )
    conf = folder / "nginx.conf"
    conf.write_text(text)
    return conf


@contextlib.contextmanager
def throwaway_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="wgsom-bench-") as folder:
        yield Path(folder)
