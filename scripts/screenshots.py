"""Screenshots of every public page at desktop and phone width, into docs/screenshots/.

`make screenshots` runs this. It builds a throwaway SQLite database in a temporary folder
(migrate, load_wgsom, load_demo_reports: the pages then show statuses, under the
"demonstration data" banner), serves it with `manage.py runserver` on a free local port, and
photographs each page with Playwright driving Debian's Chromium (/usr/bin/chromium; no browser
is downloaded). Nothing outside the temporary folder and docs/screenshots/ is touched; the
server it started is stopped by its process id.

With `--signed-in` it photographs the work area instead, into docs/screenshots/work/: every
signed-in page of a focal point (of Italy, with a draft, a submitted and a returned report) and of
the Secretariat, at desktop and phone width, each persona signed in through the sign-in form.

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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import sync_playwright

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
WORK_OUT = OUT / "work"
WORK_PASSWORD = "screenshots-only-password"
RECOVERY_CODES = [f"screenshots{n:02d}" for n in range(8)]
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


def prepare_work_area() -> dict[str, str]:
    """A focal point of Italy and a Secretariat officer, and Italy's reports in each review
    state, written through the services as people would; returns the pages that need ids."""
    import datetime

    from django.conf import settings
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from recommendations.models import Recommendation
    from reporting import services
    from states.models import State

    italy = State.objects.get(code="ITA")
    focal_point = User.objects.create_user(
        "focal.point@example.org", "focal.point@example.org", WORK_PASSWORD, state=italy
    )
    secretariat = User.objects.create_user(
        "officer@example.org", "officer@example.org", WORK_PASSWORD, is_staff=True
    )
    secretariat.groups.add(Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP_NAME)[0])
    # Staff give a second factor after the password: an app is set up, and each sign-in here
    # uses one of the recovery codes (an app's code may serve once per 30 seconds).
    TOTPDevice.objects.create(user=secretariat, name="authenticator app", confirmed=True)
    device = StaticDevice.objects.create(user=secretariat, name="Recovery codes")
    for code in RECOVERY_CODES:
        device.token_set.create(token=code)
    adopted = list(
        Recommendation.objects.filter(meeting__ordinal=7, status="adopted").order_by("pk")[:3]
    )

    def report(recommendation: Recommendation, *, submit: bool) -> Any:
        return services.implementation_report_create(
            by=focal_point,
            state=italy,
            recommendation=recommendation,
            status="in_progress",
            as_of=datetime.date(2026, 10, 1),
            description="A national action plan against migrant smuggling is in preparation.",
            submit=submit,
        )

    draft = report(adopted[0], submit=False)
    submitted = report(adopted[1], submit=True)
    returned = report(adopted[2], submit=True)
    returned = services.implementation_report_return(
        report=returned,
        by=secretariat,
        comment="Please name the law that was adopted and the date it entered into force.",
    )
    return {
        "draft": f"/reporting/reports/{draft.pk}/",
        "submitted": f"/reporting/reports/{submitted.pk}/",
        "returned": f"/reporting/reports/{returned.pk}/",
    }


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


@dataclass
class Session:
    """One browser context: a width, a language cookie or a signed-in persona, and the pages
    it photographs as (file, address)."""

    size: str
    shots: list[tuple[Path, str]]
    max_height: int
    language: str | None = None
    username: str | None = None


def photograph_sessions(base: str, sessions: list[Session]) -> int:
    taken = 0
    recovery_codes = list(RECOVERY_CODES)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for session in sessions:
            viewport = SIZES[session.size]
            context = browser.new_context(
                base_url=base,
                viewport=viewport,
                is_mobile=session.size == "phone",
                has_touch=session.size == "phone",
                locale="en-GB",
            )
            if session.language:
                # The cookie the switcher sets (settings.LANGUAGE_COOKIE_NAME's default).
                context.add_cookies(
                    [{"name": "django_language", "value": session.language, "url": base}]
                )
            page = context.new_page()
            if session.username:
                sign_in(page, session.username, recovery_codes)
            for file, path in session.shots:
                file.parent.mkdir(parents=True, exist_ok=True)
                _shoot(page, path, file, width=viewport["width"], max_height=session.max_height)
                taken += 1
            context.close()
        browser.close()
    return taken


def photograph_languages(base: str, ids: dict[str, str]) -> int:
    return photograph_sessions(
        base,
        [
            Session(
                size,
                [
                    (LANGUAGES_OUT / f"{code}-{size}-{name}.png", path)
                    for name, path in language_pages(ids)
                ],
                LANGUAGE_MAX_HEIGHT[size],
                language=code,
            )
            for code in LANGUAGES
            for size in SIZES
            if size == "desktop" or code in PHONE_LANGUAGES
        ],
    )


def _shoot(page: Any, path: str, file: Path, *, width: int, max_height: int) -> None:
    """The top of the page at `path`, at most `max_height` pixels of it, into `file`."""
    page.goto(path, wait_until="networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    page.screenshot(
        path=str(file), clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True
    )


def work_pages(ids: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The signed-in pages of each persona, by the address a person would open."""
    return {
        "focal.point@example.org": [
            ("focal-point-needs-your-action", "/work/"),
            ("focal-point-my-state", "/reporting/my-state/"),
            ("focal-point-write-a-report", "/reporting/reports/new/"),
            ("focal-point-draft", ids["draft"]),
            ("focal-point-returned", ids["returned"]),
            ("focal-point-edit-returned", ids["returned"] + "edit/"),
            ("focal-point-contact-points", "/contact-points/"),
            ("focal-point-profile", "/accounts/profile/"),
        ],
        "officer@example.org": [
            ("secretariat-needs-your-action", "/work/"),
            ("secretariat-review-queue", "/reporting/review/"),
            ("secretariat-review-queue-returned", "/reporting/review/?tab=returned"),
            ("secretariat-review-queue-validated", "/reporting/review/?tab=validated"),
            ("secretariat-review-decision", ids["submitted"]),
            ("secretariat-bulk-entry", "/reporting/bulk/"),
            ("secretariat-reminders", "/implementation/reminders/"),
            ("secretariat-spreadsheet-import", "/reporting/import/"),
            ("secretariat-meeting-report-import", "/staff/import/"),
            ("secretariat-implementation-summary", "/implementation/"),
            ("secretariat-subscribers", "/subscriptions/counts/"),
        ],
    }


def sign_in(page: Any, username: str, recovery_codes: list[str]) -> None:
    """The sign-in form, then (staff) one of the recovery codes as the second factor."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(WORK_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/two-factor/verify/" in page.url:
        page.locator("main input[name=code], main input[type=text]").first.fill(
            recovery_codes.pop()
        )
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/two-factor/" not in url)


def photograph_work_area(base: str, ids: dict[str, str]) -> int:
    return photograph_sessions(
        base,
        [
            Session(
                size,
                [(WORK_OUT / f"{name}-{size}.png", path) for name, path in persona_pages],
                MAX_HEIGHT[size],
                username=username,
            )
            for username, persona_pages in work_pages(ids).items()
            for size in SIZES
        ],
    )


def photograph(base: str, ids: dict[str, str]) -> int:
    return photograph_sessions(
        base,
        [
            Session(
                size,
                [(OUT / f"{name}-{size}.png", path) for name, path in pages(ids)],
                MAX_HEIGHT[size],
            )
            for size in SIZES
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--languages",
        action="store_true",
        help="four pages in each of the six languages, into docs/screenshots/languages/",
    )
    parser.add_argument(
        "--signed-in",
        action="store_true",
        help="every page of the work area, for a focal point and the Secretariat, "
        "into docs/screenshots/work/",
    )
    arguments = parser.parse_args()
    languages = arguments.languages
    signed_in = arguments.signed_in
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
        if signed_in:
            ids |= prepare_work_area()
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
            if languages:
                taken = photograph_languages(base, ids)
            elif signed_in:
                taken = photograph_work_area(base, ids)
            else:
                taken = photograph(base, ids)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    out = LANGUAGES_OUT if languages else WORK_OUT if signed_in else OUT
    print(f"{taken} screenshots written to {out.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
