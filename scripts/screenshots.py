"""Screenshots of every public page at desktop and phone width, into docs/screenshots/.

`make screenshots` runs this. It builds a throwaway SQLite database in a temporary folder
(migrate, load_wgsom, load_demo_reports: the pages then show statuses, under the
"demonstration data" banner), serves it with `manage.py runserver` on a free local port, and
photographs each page with Playwright driving Debian's Chromium (/usr/bin/chromium; no browser
is downloaded). Nothing outside the temporary folder and docs/screenshots/ is touched; the
server it started is stopped by its process id.

With `--languages` it photographs instead four pages (home, a theme, a State, a recommendation)
in each of the six interface languages into docs/screenshots/languages/ (`ar-phone-home.png`):
every language at desktop width, and Arabic (right to left) and Chinese at phone width too. It
refuses while a catalogue is not compiled, where the pictures would show English.

Exits non-zero with one line on stderr when something is missing or fails.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
# Full pages can be very long (a meeting's attendance, 196 States): cut at this height.
MAX_HEIGHT = {"desktop": 2400, "phone": 3600}
LANGUAGES_OUT = OUT / "languages"
# The six interface languages (settings.LANGUAGES) and their catalogues' folder names; the
# scripts that change a phone's layout most (right to left, ideographs) at phone width too.
LANGUAGES = {"ar": "ar", "zh-hans": "zh_Hans", "en": None, "fr": "fr", "ru": "ru", "es": "es"}
PHONE_LANGUAGES = ("ar", "zh-hans")
LANGUAGE_MAX_HEIGHT = {"desktop": 1800, "phone": 2400}


def fail(message: str) -> None:
    sys.exit(f"screenshots: {message}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate and load the data in-process; returns the addresses of pages that need ids."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from recommendations.models import Recommendation

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_wgsom", verbosity=0)
    call_command("load_demo_reports", verbosity=0)
    rec13 = Recommendation.objects.get(meeting__ordinal=7, label="13", status="adopted")
    return {"recommendation": f"/recommendations/{rec13.pk}/"}


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    for _ in range(100):
        if server.poll() is not None:
            fail(f"the development server stopped (exit status {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    fail(f"the development server did not answer at {url}.")


def pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("recommendations", "/recommendations/"),
        ("recommendations-filtered", "/recommendations/?theme=technology&state=AUT"),
        ("recommendation", ids["recommendation"]),
        ("themes", "/themes/"),
        ("theme", "/themes/technology/"),
        ("meetings", "/meetings/"),
        ("meeting", "/meetings/7/"),
        ("states", "/states/"),
        ("state", "/states/AUT/"),
        ("search", "/search/?q=joint+investigative+teams"),
    ]


def language_pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("theme", "/themes/technology/"),
        ("state", "/states/AUT/"),
        ("recommendation", ids["recommendation"]),
    ]


def check_catalogues() -> None:
    """Refuse while a catalogue is missing or older than its .po: the pictures would show
    English (or last week's strings) under another language's name."""
    for code, folder in LANGUAGES.items():
        if folder is None:
            continue
        po = ROOT / "locale" / folder / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime - 1:
            fail(
                f"the {code} catalogue is not compiled ({mo.relative_to(ROOT)}); "
                "run compilemessages."
            )


def photograph_languages(base: str, ids: dict[str, str]) -> int:
    from playwright.sync_api import sync_playwright

    LANGUAGES_OUT.mkdir(parents=True, exist_ok=True)
    taken = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for code in LANGUAGES:
            for size, viewport in SIZES.items():
                if size == "phone" and code not in PHONE_LANGUAGES:
                    continue
                context = browser.new_context(
                    base_url=base,
                    viewport=viewport,
                    is_mobile=size == "phone",
                    has_touch=size == "phone",
                    locale="en-GB",
                )
                # The language cookie the switcher sets (settings.LANGUAGE_COOKIE_NAME's default).
                context.add_cookies([{"name": "django_language", "value": code, "url": base}])
                page = context.new_page()
                for name, path in language_pages(ids):
                    _shoot(
                        page,
                        path,
                        LANGUAGES_OUT / f"{code}-{size}-{name}.png",
                        width=viewport["width"],
                        max_height=LANGUAGE_MAX_HEIGHT[size],
                    )
                    taken += 1
                context.close()
        browser.close()
    return taken


def _shoot(page: Any, path: str, file: Path, *, width: int, max_height: int) -> None:
    """The top of the page at `path`, at most `max_height` pixels of it, into `file`."""
    page.goto(path, wait_until="networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    page.screenshot(
        path=str(file), clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True
    )


def photograph(base: str, ids: dict[str, str]) -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    taken = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for size, viewport in SIZES.items():
            context = browser.new_context(
                base_url=base,
                viewport=viewport,
                is_mobile=size == "phone",
                has_touch=size == "phone",
                locale="en-GB",
            )
            page = context.new_page()
            for name, path in pages(ids):
                _shoot(
                    page,
                    path,
                    OUT / f"{name}-{size}.png",
                    width=viewport["width"],
                    max_height=MAX_HEIGHT[size],
                )
                taken += 1
            context.close()
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--languages",
        action="store_true",
        help="four pages in each of the six languages, into docs/screenshots/languages/",
    )
    languages = parser.parse_args().languages
    if not CHROMIUM.exists():
        fail(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium).")
    if languages:
        check_catalogues()
    with tempfile.TemporaryDirectory(prefix="wgsom-screenshots-") as folder:
        env = {
            "DJANGO_SETTINGS_MODULE": "wgsom.settings.base",
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'db.sqlite3'}",
            "DJANGO_DEBUG": "true",
            "DJANGO_READ_DOT_ENV_FILE": "false",
            "REDIS_URL": "",
        }
        print("Preparing a throwaway database with the WGSOM data and demonstration reports")
        ids = prepare_database(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(base + "/", server)
            taken = (photograph_languages if languages else photograph)(base, ids)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    out = LANGUAGES_OUT if languages else OUT
    print(f"{taken} screenshots written to {out.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
