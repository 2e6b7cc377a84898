"""Slow clients and large bodies, against the stack's proxy and against gunicorn alone.

`make bench-proxy` runs it on loopback: a throwaway database, gunicorn as the stack runs it
(gunicorn.conf.py) behind nginx with deploy/nginx/nginx.conf, and, for comparison in the same
run, gunicorn as it ran before (two sync workers, nothing in front). It prints, for each:

- how long an ordinary page takes while slow clients dribble their headers one line a second,
  as a ratio to the same page with no slow client;
- how many bytes of an oversized anonymous upload the server read before answering, and when.

Figures are for people to read; nothing here asserts (tests/test_proxy_config.py checks the
configuration itself).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.servers import (
    django_environment,
    free_port,
    gunicorn_command,
    nginx_configuration,
    prepare_database,
    running,
    throwaway_folder,
)

SLOW_CLIENTS = 12
SLOW_SECONDS = 20
OVERSIZED = 300 * 1024 * 1024
SEND_AT_MOST = 48 * 1024 * 1024
PAGE = "/meetings/"


def _connection(port: int, tls: bool) -> http.client.HTTPConnection:
    if tls:
        return http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=45, context=ssl._create_unverified_context()
        )
    return http.client.HTTPConnection("127.0.0.1", port, timeout=45)


def page_seconds(port: int, *, tls: bool, repeat: int = 5) -> tuple[float, int]:
    """Median seconds to fetch PAGE, and the last status."""
    durations, status = [], 0
    for _ in range(repeat):
        connection = _connection(port, tls)
        started = time.perf_counter()
        try:
            connection.request("GET", PAGE, headers={"Host": "localhost"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (TimeoutError, OSError):
            status = 0
        durations.append(time.perf_counter() - started)
        connection.close()
    return statistics.median(durations), status


def dribble(port: int, stop: threading.Event) -> None:
    """A slow client: a request line, then one header line a second, never the blank line."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            while not stop.wait(1):
                sock.sendall(b"X-Slow: 1\r\n")
    except OSError:
        return  # closed by the server: what a protected server does


def under_slow_clients(page_port: int, slow_port: int, *, tls: bool) -> tuple[float, int]:
    stop = threading.Event()
    threads = [
        threading.Thread(target=dribble, args=(slow_port, stop), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)
    try:
        return page_seconds(page_port, tls=tls, repeat=1)
    finally:
        stop.set()


def oversized_upload(port: int) -> tuple[int, int, float]:
    """POST an anonymous OVERSIZED body; bytes sent before the answer, its status, seconds."""
    chunk = b"a" * 65536
    sent, status = 0, 0
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {OVERSIZED}\r\n\r\n".encode()
        )
        sock.setblocking(False)
        while sent < SEND_AT_MOST:
            try:
                answer = sock.recv(64)
                if answer:
                    status = int(answer.split(b" ", 2)[1])
                    break
            except BlockingIOError:
                pass
            try:
                sent += sock.send(chunk)
            except BlockingIOError:
                time.sleep(0.001)
            except OSError:
                break
        if not status:
            sock.setblocking(True)
            try:
                answer = sock.recv(64)
                status = int(answer.split(b" ", 2)[1]) if answer else 0
            except (OSError, ValueError, IndexError):
                status = 0
    return sent, status, time.perf_counter() - started


def measure(name: str, page_port: int, plain_port: int, *, tls: bool) -> tuple:
    """One setup's row: the page quiet and under slow clients, and the oversized upload (both
    sent to the plain-HTTP port, as an attacker would)."""
    quiet, _ = page_seconds(page_port, tls=tls)
    attacked, status = under_slow_clients(page_port, plain_port, tls=tls)
    sent, upload_status, upload_seconds = oversized_upload(plain_port)
    return name, quiet, attacked, status, sent, upload_status, upload_seconds


def main() -> None:
    with throwaway_folder() as folder:
        env = django_environment(folder)
        print("Preparing a throwaway database with the WGSOM data", flush=True)
        prepare_database(env)
        stack_port, before_port = free_port(), free_port()
        http_port, https_port = free_port(), free_port()
        conf = nginx_configuration(
            folder, upstream_port=stack_port, http_port=http_port, https_port=https_port
        )
        nginx = ["nginx", "-c", str(conf), "-p", str(folder), "-g", "daemon off;"]
        rows = []
        with (
            running(
                gunicorn_command(stack_port, workers=2), env, f"http://127.0.0.1:{stack_port}/"
            ),
            running(nginx, env, f"http://127.0.0.1:{http_port}/healthz"),
        ):
            rows.append(measure("nginx + gunicorn.conf.py", https_port, http_port, tls=True))
        with running(
            gunicorn_command(before_port, workers=2, stack_config=False),
            env,
            f"http://127.0.0.1:{before_port}/",
        ):
            rows.append(
                measure("gunicorn alone, 2 sync workers", before_port, before_port, tls=False)
            )

    print(f"\n{PAGE} with {SLOW_CLIENTS} clients sending one header line a second:")
    print(f"{'setup':32} {'quiet ms':>9} {'attacked ms':>12} {'ratio':>7} {'status':>7}")
    for name, quiet, attacked, status, *_ in rows:
        print(
            f"{name:32} {quiet * 1000:9.0f} {attacked * 1000:12.0f} "
            f"{attacked / quiet:7.1f} {status:7}"
        )
    print(
        f"\nAn anonymous {OVERSIZED // 2**20} MB POST to /accounts/login/ "
        f"(the client stops at {SEND_AT_MOST // 2**20} MB):"
    )
    print(f"{'setup':32} {'MB sent':>9} {'status':>7} {'seconds':>8}")
    for name, *_, sent, upload_status, upload_seconds in rows:
        print(f"{name:32} {sent / 2**20:9.1f} {upload_status:7} {upload_seconds:8.2f}")


if __name__ == "__main__":
    main()
