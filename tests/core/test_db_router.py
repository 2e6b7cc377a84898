"""The read replica: public reads go to it, writes and everything after them to the primary.

The replica here is the test database under a second alias (a test mirror, wgsom/settings/
test.py), so no second server is needed; which alias ran a query is what is asserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.db_routers import (
    PIN_COOKIE,
    PRIMARY,
    REPLICA,
    PrimaryReplicaRouter,
    ReplicaRoutingMiddleware,
)
from recommendations.models import Theme
from tests.test_settings import values_of

ROUTER = "core.db_routers.PrimaryReplicaRouter"
MIDDLEWARE = "core.db_routers.ReplicaRoutingMiddleware"

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


class Queries:
    """The queries each alias ran while the block was open."""

    def __init__(self) -> None:
        self.primary = CaptureQueriesContext(connections[PRIMARY])
        self.replica = CaptureQueriesContext(connections[REPLICA])

    def __enter__(self) -> Queries:
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def on(self, alias: str) -> list[str]:
        captured = self.primary if alias == PRIMARY else self.replica
        return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def routed() -> Iterator[None]:
    with override_settings(DATABASE_ROUTERS=[ROUTER]):
        yield


def handle(
    view: Callable[[HttpRequest], HttpResponse], method: str = "get", **cookies: str
) -> HttpResponse:
    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies)
    return ReplicaRoutingMiddleware(view)(request)  # type: ignore[return-value]


def read_themes(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(Theme.objects.count()))


def test_a_public_read_goes_to_the_replica(routed):
    with Queries() as queries:
        response = handle(read_themes)

    assert len(queries.on(REPLICA)) == 1
    assert queries.on(PRIMARY) == []
    # Nothing written: the browser is not pinned to the primary.
    assert PIN_COOKIE not in response.cookies


# Committed: on SQLite the replica alias is a second connection to the same in-memory database,
# which could not read past a write the test's own transaction holds.
@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_a_write_goes_to_the_primary_and_the_rest_of_its_request_reads_from_there(routed):
    def write_then_read(request: HttpRequest) -> HttpResponse:
        Theme.objects.count()
        User.objects.create(username="replica-writer")
        Theme.objects.count()
        return HttpResponse()

    with Queries() as queries:
        response = handle(write_then_read)

    # The read before the write only.
    assert len(queries.on(REPLICA)) == 1
    assert any(sql.startswith("INSERT") for sql in queries.on(PRIMARY))
    assert any("recommendations_theme" in sql for sql in queries.on(PRIMARY))
    # The browser reads from the primary for the next seconds: the page it goes to next
    # shows its change whatever the replica's lag.
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS


@pytest.mark.parametrize(
    "cookie",
    [PIN_COOKIE, settings.SESSION_COOKIE_NAME],
    ids=["wrote in the last seconds", "signed in or with a session"],
)
def test_a_browser_that_wrote_lately_or_is_signed_in_reads_from_the_primary(routed, cookie):
    with Queries() as queries:
        handle(read_themes, **{cookie: "x"})

    assert queries.on(REPLICA) == []
    assert len(queries.on(PRIMARY)) == 1


def test_a_post_reads_from_the_primary_and_pins_the_browser(routed):
    with Queries() as queries:
        response = handle(read_themes, method="post")

    assert queries.on(REPLICA) == []
    assert PIN_COOKIE in response.cookies


def test_reads_inside_a_transaction_and_of_accounts_go_to_the_primary(routed):
    def reads(request: HttpRequest) -> HttpResponse:
        User.objects.filter(username="nobody").exists()
        with transaction.atomic():
            Theme.objects.count()
        return HttpResponse()

    with Queries() as queries:
        handle(reads)

    assert queries.on(REPLICA) == []


def test_outside_a_request_everything_uses_the_primary(routed):
    # Celery tasks and management commands compute from what they then write.
    with Queries() as queries:
        Theme.objects.count()

    assert queries.on(REPLICA) == []


def test_a_streamed_export_reads_its_rows_from_the_replica(routed):
    def export(request: HttpRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(str(theme.pk) for theme in Theme.objects.all())

    with Queries() as queries:
        response = handle(export)
        b"".join(response.streaming_content)

    assert len(queries.on(REPLICA)) == 1
    assert queries.on(PRIMARY) == []


def test_the_public_api_reads_from_the_replica(routed, client):
    with (
        override_settings(MIDDLEWARE=[MIDDLEWARE, *settings.MIDDLEWARE]),
        Queries() as queries,
    ):
        response = client.get("/api/v1/themes/")

    assert response.status_code == 200
    assert response.json()["count"] == Theme.objects.count()
    assert queries.on(REPLICA)
    assert queries.on(PRIMARY) == []


def test_a_replica_that_cannot_be_reached_sends_reads_to_the_primary_for_a_while(
    routed, replica_at, monkeypatch, caplog
):
    from core import db_routers
    from tests.core.conftest import UNREACHABLE

    replica_at(**UNREACHABLE)
    now = [1000.0]
    monkeypatch.setattr(db_routers.time, "monotonic", lambda: now[0])
    attempts = []
    real_connect = connections[REPLICA].ensure_connection

    def connect() -> None:
        attempts.append(now[0])
        real_connect()

    monkeypatch.setattr(connections[REPLICA], "ensure_connection", connect)

    with CaptureQueriesContext(connections[PRIMARY]) as primary:
        first = handle(read_themes)
        now[0] += db_routers.REPLICA_RETRY_SECONDS - 1
        second = handle(read_themes)

    assert first.content == second.content == str(Theme.objects.count()).encode()
    assert len(primary.captured_queries) == 2
    assert attempts == [1000.0]  # not tried again within REPLICA_RETRY_SECONDS
    assert "read replica cannot be reached" in caplog.text
    assert "hunter2" not in caplog.text

    now[0] += 2
    handle(read_themes)
    assert len(attempts) == 2  # tried again after it


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(PRIMARY, "recommendations") is True
    assert router.allow_migrate(REPLICA, "recommendations") is False


def test_with_no_replica_configured_there_is_no_router_and_no_replica():
    values = values_of("DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE")
    assert list(values["DATABASES"]) == ["default"]
    assert values["DATABASE_ROUTERS"] == []
    assert MIDDLEWARE not in values["MIDDLEWARE"]


def test_a_replica_url_adds_the_replica_the_router_and_its_middleware():
    values = values_of(
        "DATABASES",
        "DATABASE_ROUTERS",
        "MIDDLEWARE",
        DATABASE_REPLICA_URL="postgres://wgsom@replica:5432/wgsom",
    )
    replica = values["DATABASES"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("replica", "wgsom")
    assert replica["TEST"]["MIRROR"] == "default"
    assert values["DATABASE_ROUTERS"] == [ROUTER]
    assert values["MIDDLEWARE"].index(MIDDLEWARE) <= 2
