"""A list's Last-Modified comes from a version each write keeps (core.data_versions), read by
primary key, not from MAX(updated_at) over every row that matches the list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from core.data_versions.models import DataVersion
from core.data_versions.selectors import data_changed_at
from core.data_versions.services import data_version_bump
from recommendations.models import Recommendation, Theme
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=30)


def age(name: str) -> None:
    """Put `name`'s version a month back, so a write today moves it by more than the
    one-second resolution of HTTP dates."""
    DataVersion.objects.filter(name=name).update(changed_at=LONG_AGO)


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[None]]:
    """A write as a service makes it: a transaction of its own, then its commit (the test
    itself runs inside one transaction, which never commits: its on-commit work is run here)."""

    @contextmanager
    def block() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            yield

    return block


def test_the_list_carries_its_apps_data_version(client):
    age("recommendations")

    response = client.get("/api/v1/themes/")

    assert response.status_code == 200
    assert response["Last-Modified"] == http_date(LONG_AGO.timestamp())


def test_a_write_moves_the_last_modified_of_the_list(client, committed):
    age("recommendations")
    before = client.get("/api/v1/themes/")["Last-Modified"]

    with committed():
        ThemeFactory()

    after = client.get("/api/v1/themes/")
    assert after["Last-Modified"] != before
    assert client.get("/api/v1/themes/", HTTP_IF_MODIFIED_SINCE=before).status_code == 200


def test_a_deletion_moves_it_too(client, committed):
    with committed():
        theme = ThemeFactory()
    age("recommendations")
    before = client.get("/api/v1/themes/")["Last-Modified"]

    with committed():
        theme.delete()

    assert client.get("/api/v1/themes/")["Last-Modified"] != before


def test_a_many_to_many_change_moves_it(committed):
    with committed():
        theme = ThemeFactory()
    recommendation = Recommendation.objects.filter(status="adopted").first()
    age("recommendations")

    with committed():
        recommendation.themes.add(theme)

    assert data_changed_at("recommendations") > LONG_AGO


def test_an_unchanged_list_answers_if_modified_since_with_a_304(client):
    age("recommendations")
    response = client.get("/api/v1/themes/")

    again = client.get("/api/v1/themes/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])

    assert again.status_code == 304
    assert again.content == b""


def test_the_timestamp_costs_one_query_of_the_versions_however_many_rows(
    client, django_assert_num_queries
):
    # 1 the data versions (a row per app), 1 count, 1 the themes, 1 their link counts, 1
    # their recommendations other than adopted counted by status
    with django_assert_num_queries(5), CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/themes/")
    version_query = next(q["sql"] for q in queries if "data_versions_dataversion" in q["sql"])
    assert "recommendations_theme" not in version_query
    assert not any("MAX(" in q["sql"] and "recommendations_theme" in q["sql"] for q in queries)


def test_one_transaction_moves_the_version_once_when_it_commits(committed):
    age("recommendations")

    with CaptureQueriesContext(connection) as queries, committed():
        ThemeFactory.create_batch(3)
        # Not before the commit, so that no other write to the app waits on the version row.
        assert data_changed_at("recommendations") == LONG_AGO

    bumps = [q for q in queries if q["sql"].startswith("UPDATE") and "dataversion" in q["sql"]]
    assert len(bumps) == 1
    assert data_changed_at("recommendations") > LONG_AGO


def test_a_rolled_back_write_leaves_the_version_and_the_next_write_moves_it(committed):
    age("recommendations")

    with pytest.raises(RuntimeError), committed():
        ThemeFactory()
        raise RuntimeError("rolled back")
    assert data_changed_at("recommendations") == LONG_AGO

    with committed():
        ThemeFactory()
    assert data_changed_at("recommendations") > LONG_AGO


def test_the_version_never_goes_back(committed):
    later = timezone.now() + timedelta(hours=1)
    DataVersion.objects.filter(name="recommendations").update(changed_at=later)

    with committed():
        data_version_bump(name="recommendations")

    assert data_changed_at("recommendations") == later


def test_an_app_without_a_version_is_made_one_by_its_first_write(committed):
    DataVersion.objects.filter(name="recommendations").delete()

    with committed():
        Theme.objects.create(slug="new-theme", name="New theme")

    assert data_changed_at("recommendations") is not None
