"""Reading the API: every list and detail, what the filters return, and what each costs.

Every list and detail endpoint is asked twice, before and after adding many rows it shows, and
must run the same number of queries both times (the count is pinned, with what the queries
are).
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db.models import Max
from django.utils import timezone

from meetings.models import Meeting
from recommendations.models import Recommendation, Theme
from recommendations.selectors import theme_recommendations
from reporting.models import ImplementationReport
from states.models import RegionalGroup, State
from tests.factories import (
    AgendaItemFactory,
    DocumentFactory,
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
    RegionalGroupFactory,
    StateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.usefixtures("wgsom")


def _grow(n: int) -> dict:
    """Add `n` rows of everything the API lists, tied to one new meeting, theme and State."""
    theme = ThemeFactory()
    meeting = MeetingFactory()
    group = RegionalGroupFactory()
    state = StateFactory(regional_group=group)
    for _ in range(n):
        recommendation = RecommendationFactory(meeting=meeting, themes=[theme])
        ImplementationReportFactory(state=state, recommendation=recommendation)
        ImplementationReportFactory(recommendation=recommendation)  # another State
        AgendaItemFactory(meeting=meeting)
        DocumentFactory(meeting=meeting).themes.add(theme)
        StateFactory(regional_group=group)
    return {
        "theme": theme,
        "meeting": meeting,
        "group": group,
        "state": state,
        "recommendation": recommendation,
    }


# (address, queries, what they are). Addresses may name the grown objects.
ENDPOINTS = [
    ("/api/v1/meetings/", 3, "newest change, count, page with its counts"),
    ("/api/v1/meetings/{meeting.ordinal}/", 3, "meeting with counts, agenda, documents"),
    ("/api/v1/agenda-items/", 3, "newest change, count, page with meetings"),
    ("/api/v1/agenda-items/?meeting={meeting.ordinal}", 4, "+ the meeting named"),
    ("/api/v1/documents/", 4, "newest change, count, page, themes"),
    ("/api/v1/documents/?theme={theme.slug}", 5, "+ the theme named"),
    (
        "/api/v1/themes/",
        5,
        "newest change, count, page, every theme's link counts and counts by status (kept "
        "under the data versions where the cache is on)",
    ),
    ("/api/v1/themes/{theme.slug}/", 3, "theme, every theme's link counts, counts by status"),
    ("/api/v1/recommendations/", 4, "newest change, count, page, themes"),
    ("/api/v1/recommendations/?theme={theme.slug}", 5, "+ the theme named"),
    (
        "/api/v1/recommendations/?search=smuggling routes",
        6,
        "thesaurus and lexicon (the search's plan), newest change, count, page, themes",
    ),
    ("/api/v1/recommendations/{recommendation.pk}/", 3, "recommendation, themes, proposals"),
    (
        "/api/v1/recommendations/{recommendation.pk}/status/",
        5,
        "recommendation, newest State change, newest report, count, page of States",
    ),
    ("/api/v1/states/", 3, "newest change, count, page with regional groups"),
    ("/api/v1/states/?regional_group={group.slug}", 4, "+ the group named"),
    ("/api/v1/states/{state.code}/", 1, "State with its regional group"),
    (
        "/api/v1/states/{state.code}/status/",
        6,
        "State, newest recommendation change, newest report, count, page, themes",
    ),
    ("/api/v1/regional-groups/", 3, "newest change, count, page with counts"),
    ("/api/v1/regional-groups/{group.slug}/", 1, "group with its count"),
    ("/api/v1/implementation-reports/", 3, "newest change, count, page with States"),
    ("/api/v1/implementation-reports/?state={state.code}", 4, "+ the State named"),
]


@pytest.mark.parametrize(("address", "queries", "what"), ENDPOINTS)
def test_every_endpoint_costs_the_same_queries_for_little_or_much_data(
    api, django_assert_num_queries, address, queries, what
):
    # Lists are asked for in one page, so that every row is serialized.
    address += ("&" if "?" in address else "?") + "page_size=500"
    small = _grow(1)
    with django_assert_num_queries(queries):
        response = api.get(address.format(**small))
    assert response.status_code == 200, response.content

    large = _grow(25)
    # `what` says what the queries are; their number does not grow with the data.
    with django_assert_num_queries(queries):
        response = api.get(address.format(**large))
    assert response.status_code == 200, response.content
    if "results" in response.json():
        assert response.json()["results"]


def test_the_7th_meeting_adopted_exactly_22_recommendations(api):
    response = api.get("/api/v1/recommendations/", {"meeting": 7, "status": "adopted"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 22
    assert [row["label"] for row in body["results"]] == [str(n) for n in range(1, 23)]


def test_each_theme_filter_lists_what_the_theme_page_lists(api):
    themes = list(Theme.objects.order_by("order"))
    assert len(themes) == 9
    tagged = 0
    for theme in themes:
        response = api.get("/api/v1/recommendations/", {"theme": theme.slug, "page_size": 500})
        api_ids = [row["id"] for row in response.json()["results"]]
        page_ids = list(theme_recommendations(theme=theme).values_list("pk", flat=True))
        assert sorted(api_ids) == sorted(page_ids), theme.slug
        tagged += len(api_ids)
    assert tagged >= 47, "the WGSOM data tags every recommendation with at least one theme"


def test_updated_since_returns_only_what_changed_after_the_moment_given(api):
    before = timezone.now() - datetime.timedelta(seconds=1)
    Recommendation.objects.update(updated_at=before - datetime.timedelta(days=1))
    State.objects.update(updated_at=before - datetime.timedelta(days=1))
    changed = Recommendation.objects.get(meeting__ordinal=7, label="3", status="adopted")
    changed.text += " (corrected)"
    changed.save()
    mexico = State.objects.get(code="MEX")
    mexico.save()

    since = before.isoformat()
    recommendations = api.get("/api/v1/recommendations/", {"updated_since": since}).json()
    states = api.get("/api/v1/states/", {"updated_since": since}).json()

    assert [row["id"] for row in recommendations["results"]] == [changed.pk]
    assert [row["code"] for row in states["results"]] == ["MEX"]


def test_an_incremental_pull_of_reports_gets_only_reports_changed_since_the_last_one(api):
    old = ImplementationReportFactory()
    ImplementationReport.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    last_pull = timezone.now() - datetime.timedelta(days=1)
    fresh = ImplementationReportFactory()

    pulled = api.get(
        "/api/v1/implementation-reports/",
        {"updated_since": last_pull.isoformat(), "ordering": "updated_at"},
    ).json()

    assert [row["id"] for row in pulled["results"]] == [fresh.pk]


def test_updated_since_takes_a_date_or_a_date_time_with_or_without_an_offset(api):
    for value in (
        "2020-01-31",
        "2020-01-31T12:00:00",
        "2020-01-31T12:00:00Z",
        "2020-01-31T12:00+02:00",
        "2171-09-29T11:36:47-18:55",  # an offset PostgreSQL itself would refuse
    ):
        response = api.get("/api/v1/recommendations/", {"updated_since": value})
        assert response.status_code == 200, value


def test_an_updated_since_before_year_1_once_in_utc_is_a_400(api):
    response = api.get("/api/v1/recommendations/", {"updated_since": "0001-01-01T00:00+05:00"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]


def test_a_states_status_lists_every_adopted_recommendation_with_no_information_by_default(api):
    response = api.get("/api/v1/states/MEX/status/", {"page_size": 100})

    rows = response.json()["results"]
    assert len(rows) == Recommendation.objects.filter(status="adopted").count()
    assert {row["status"] for row in rows} == {"no_information"}
    assert {row["state"] for row in rows} == {"MEX"}


def test_a_states_status_shows_its_latest_validated_report_and_filters_by_status(api):
    state = StateFactory()
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="13", status="adopted")
    ImplementationReportFactory(
        state=state, recommendation=recommendation, status="in_progress", as_of="2023-01-01"
    )
    latest = ImplementationReportFactory(
        state=state, recommendation=recommendation, status="implemented", as_of="2024-01-01"
    )
    ImplementationReportFactory(  # a draft never counts
        state=state,
        recommendation=recommendation,
        status="not_implemented",
        as_of="2024-06-01",
        review_state="draft",
        validated_at=None,
    )

    implemented = api.get(f"/api/v1/states/{state.code}/status/", {"status": "implemented"})
    silent = api.get(f"/api/v1/states/{state.code}/status/", {"status": "no_information"})

    assert implemented.json()["results"] == [
        {
            "state": state.code,
            "recommendation": recommendation.pk,
            "meeting": 7,
            "label": "13",
            "strength": recommendation.strength,
            "themes": sorted(recommendation.themes.values_list("slug", flat=True)),
            "status": "implemented",
            "as_of": "2024-01-01",
            "source": "questionnaire",
            "report": latest.pk,
        }
    ]
    assert silent.json()["count"] == Recommendation.objects.filter(status="adopted").count() - 1


def test_a_recommendations_status_lists_every_state_party_and_filters_by_group(api):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="1", status="adopted")
    group = RegionalGroup.objects.get(slug="african-states")

    everyone = api.get(f"/api/v1/recommendations/{recommendation.pk}/status/").json()
    african = api.get(
        f"/api/v1/recommendations/{recommendation.pk}/status/",
        {"regional_group": group.slug, "page_size": 500},
    ).json()

    assert everyone["count"] == State.objects.parties().count()
    assert {row["regional_group"] for row in african["results"]} == {group.slug}
    assert african["count"] == State.objects.parties().filter(regional_group=group).count()


def test_codes_in_addresses_and_filters_are_read_whatever_their_case(api):
    assert api.get("/api/v1/states/mex/").json()["code"] == "MEX"
    assert api.get("/api/v1/states/mex/status/").status_code == 200
    assert api.get("/api/v1/implementation-reports/", {"state": "mex"}).status_code == 200


def test_the_public_sees_only_validated_reports(api):
    validated = ImplementationReportFactory()
    draft = ImplementationReportFactory(review_state="draft", validated_at=None)

    ids = [row["id"] for row in api.get("/api/v1/implementation-reports/").json()["results"]]

    assert validated.pk in ids
    assert draft.pk not in ids
    assert api.get(f"/api/v1/implementation-reports/{draft.pk}/").status_code == 404


def test_current_reports_are_each_states_latest_validated_one(api):
    state = StateFactory()
    recommendation = RecommendationFactory()
    older = ImplementationReportFactory(
        state=state, recommendation=recommendation, as_of="2023-01-01"
    )
    newer = ImplementationReportFactory(
        state=state, recommendation=recommendation, as_of="2024-01-01"
    )

    current = api.get(
        "/api/v1/implementation-reports/", {"state": state.code, "current": "true"}
    ).json()
    superseded = api.get(
        "/api/v1/implementation-reports/", {"state": state.code, "current": "false"}
    ).json()

    assert [row["id"] for row in current["results"]] == [newer.pk]
    assert [row["id"] for row in superseded["results"]] == [older.pk]


def test_meetings_list_first_to_last_with_their_counts(api):
    rows = api.get("/api/v1/meetings/").json()["results"]
    seventh = next(row for row in rows if row["ordinal"] == 7)

    assert [row["ordinal"] for row in rows] == sorted(row["ordinal"] for row in rows)
    assert (seventh["adopted_count"], seventh["proposed_count"]) == (22, 9)
    assert seventh["chair_state"] == "ITA"


def test_themes_count_their_recommendations_by_status_and_their_documents(api):
    theme = ThemeFactory()
    proposer = StateFactory()
    for status, n in (("adopted", 3), ("draft", 2), ("proposed", 1)):
        for _ in range(n):
            RecommendationFactory(
                themes=[theme], status=status, proposer=proposer if status == "proposed" else None
            )
    DocumentFactory().themes.add(theme)
    expected = {"adopted_count": 3, "draft_count": 2, "proposed_count": 1, "document_count": 1}

    rows = api.get("/api/v1/themes/").json()["results"]
    listed = next(row for row in rows if row["slug"] == theme.slug)
    detail = api.get(f"/api/v1/themes/{theme.slug}/").json()

    download = api.get("/api/v1/themes/", {"format": "csv"})
    rows_of_file = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    in_file = next(row for row in rows_of_file if row["slug"] == theme.slug)

    assert {field: listed[field] for field in expected} == expected
    assert {field: detail[field] for field in expected} == expected
    assert {field: int(in_file[field]) for field in expected} == expected


def test_every_themes_counts_are_its_recommendations_and_documents(api):
    rows = {row["slug"]: row for row in api.get("/api/v1/themes/").json()["results"]}

    assert [row["slug"] for row in rows.values()] == list(
        Theme.objects.order_by("order", "name").values_list("slug", flat=True)
    )
    for theme in Theme.objects.all():
        counted = {
            f"{status}_count": theme.recommendations.filter(status=status).count()
            for status in ("adopted", "draft", "proposed")
        }
        counted["document_count"] = theme.documents.count()
        assert {field: rows[theme.slug][field] for field in counted} == counted, theme.slug
    assert sum(row["adopted_count"] for row in rows.values()) > 0


def test_ordering_follows_the_parameter(api):
    rows = api.get("/api/v1/meetings/", {"ordering": "-ordinal"}).json()["results"]

    assert rows[0]["ordinal"] == Meeting.objects.aggregate(Max("ordinal"))["ordinal__max"]


def test_a_search_finds_what_the_site_search_finds_best_match_first(api):
    response = api.get("/api/v1/recommendations/", {"search": "contact points"})

    rows = response.json()["results"]
    assert rows
    assert "contact point" in rows[0]["text"].lower()


def test_a_search_ranks_as_the_site_does_and_highlights_where_it_matched(api):
    rows = api.get("/api/v1/recommendations/", {"search": "JIT"}).json()["results"]

    assert (rows[0]["year"], rows[0]["label"]) == (2020, "8")
    highlight = rows[0]["highlight"]
    assert "<mark>joint</mark> <mark>investigative</mark> <mark>teams</mark>" in highlight["text"]
    assert highlight["matched_in"] == ["text"]


def test_a_search_says_when_a_match_is_only_in_the_section_title(api):
    rows = api.get(
        "/api/v1/recommendations/", {"search": "cyberspace", "meeting": 7, "status": "adopted"}
    ).json()["results"]

    eight = next(row for row in rows if row["label"] == "8")
    assert eight["highlight"]["matched_in"] == ["section_title"]
    assert "<mark>cyberspace</mark>" in eight["highlight"]["section_title"]


def test_without_a_search_there_is_no_highlight(api):
    rows = api.get("/api/v1/recommendations/", {"meeting": 7}).json()["results"]

    assert all(row["highlight"] is None for row in rows)
