"""The recommendation list: filters in the URL, htmx fragments, downloads, fixed query count."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Meeting
from recommendations.models import Recommendation
from tests.factories import ImplementationReportFactory, MeetingFactory

pytestmark = pytest.mark.usefixtures("wgsom")

LIST = reverse("recommendations:list")


def labels(response) -> set[str]:
    return {(r.meeting.ordinal, r.label) for r in response.context["page_obj"].object_list}


def test_the_list_shows_every_recommendation_newest_meeting_first(client):
    response = client.get(LIST)

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 47
    first = response.context["page_obj"].object_list[0]
    assert (first.meeting.ordinal, first.status, first.label) == (7, "adopted", "1")


def test_filtering_by_theme_keeps_only_that_themes_recommendations(client):
    response = client.get(LIST, {"theme": "technology"})

    rows = response.context["page_obj"].paginator.object_list
    assert rows.count() > 0
    assert all("technology" in {t.slug for t in r.themes.all()} for r in rows)


def test_filters_combine_meeting_status_strength_and_addressee(client):
    response = client.get(
        LIST,
        {"meeting": "7", "status": "adopted", "strength": "may_consider", "addressee": ""},
    )

    assert labels(response) == {(7, "12")}


def test_a_states_reported_status_filters_the_list_and_is_shown(client):
    austria_report = ImplementationReportFactory(
        state__code="XAU",
        recommendation=Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted"),
        status="partially_implemented",
    )

    response = client.get(
        LIST, {"state": austria_report.state.code, "state_status": "partially_implemented"}
    )

    assert labels(response) == {(7, "8")}
    assert "Partially implemented" in response.content.decode()


def test_no_information_is_a_status_one_can_filter_by(client):
    state_report = ImplementationReportFactory(
        recommendation=Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted")
    )

    response = client.get(
        LIST, {"state": state_report.state.code, "state_status": "no_information"}
    )

    assert response.context["page_obj"].paginator.count == 46


def test_a_status_without_its_state_is_a_form_error_not_a_silent_filter(client):
    response = client.get(LIST, {"state_status": "implemented"})

    assert response.status_code == 200
    assert "Choose the State whose reported status you want to filter by." in (
        response.content.decode()
    )


def test_an_unknown_theme_is_reported_on_the_form(client):
    response = client.get(LIST, {"theme": "no-such-theme"})

    assert "Select a valid choice" in response.content.decode()


def test_words_find_recommendations_and_sort_by_relevance(client):
    response = client.get(LIST, {"q": "joint investigative teams"})

    # Every word matched first; records with some of the words follow (a ranked OR).
    rows = response.context["page_obj"].object_list
    assert (rows[0].meeting.ordinal, rows[0].label) == (7, "8")
    assert all(row.search_score < rows[0].search_score for row in rows[1:])


def test_the_word_filter_ranks_as_the_search_page_does_and_highlights(client):
    response = client.get(LIST, {"q": "JIT"})

    rows = response.context["page_obj"].object_list
    assert (rows[0].meeting.ordinal, rows[0].label) == (7, "8")
    assert "<mark>joint</mark> <mark>investigative</mark> <mark>teams</mark>" in (
        response.content.decode()
    )


def test_the_word_filter_says_when_a_match_is_only_in_the_section_title(client):
    response = client.get(LIST, {"q": "cyberspace", "meeting": 7, "status": "adopted"})

    html = response.content.decode()
    assert "Found in its section title, not in the text:" in html
    assert "<mark>cyberspace</mark>" in html


def test_the_list_with_words_costs_the_same_queries_however_many_recommendations(
    client, growth, django_assert_num_queries
):
    params = {"q": "smuggling routes"}
    # 3 choice lists, 1 thesaurus and 1 lexicon (the search's plan, shared by the filter and
    # the highlighting), 1 count, 1 page of recommendations, 1 themes
    with django_assert_num_queries(8):
        client.get(LIST, params)
    growth.add(30)
    with django_assert_num_queries(8):
        client.get(LIST, params)


def test_sorting_oldest_first_starts_with_the_2018_draft(client):
    response = client.get(LIST, {"sort": "oldest"})

    first = response.context["page_obj"].object_list[0]
    assert (first.meeting.ordinal, first.label) == (5, "1 (a)")


def test_sorting_by_strength_puts_firm_language_first(client):
    response = client.get(LIST, {"sort": "strength", "meeting": "7", "status": "adopted"})

    strengths = [r.strength for r in response.context["page_obj"].paginator.object_list]
    assert strengths == sorted(strengths, key=["should", "encouraged", "may_consider"].index)


def test_an_htmx_request_for_the_results_gets_only_the_results(client):
    response = client.get(
        LIST, {"theme": "technology"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )

    page = response.content.decode()
    assert "<html" not in page
    assert 'class="rec-item"' in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restoration_gets_the_whole_page(client):
    response = client.get(
        LIST,
        {"theme": "technology"},
        headers={
            "HX-Request": "true",
            "HX-Target": "results",
            "HX-History-Restore-Request": "true",
        },
    )

    assert "<html" in response.content.decode()


def test_the_download_links_carry_the_current_filters(client):
    page = client.get(LIST, {"theme": "technology", "page": "1"}).content.decode()

    assert f"{reverse('recommendations:export', args=['csv'])}?theme=technology" in page
    assert f"{reverse('recommendations:export', args=['xlsx'])}?theme=technology" in page


def test_the_csv_download_holds_the_filtered_rows(client):
    response = client.get(reverse("recommendations:export", args=["csv"]), {"theme": "technology"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    expected = Recommendation.objects.filter(themes__slug="technology").count()
    assert rows[0][:3] == ["meeting", "year", "label"]
    assert len(rows) - 1 == expected


def test_the_xlsx_download_holds_the_filtered_rows_with_the_states_status(client):
    report = ImplementationReportFactory(
        recommendation=Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted")
    )

    response = client.get(
        reverse("recommendations:export", args=["xlsx"]),
        {"state": report.state.code, "state_status": "implemented"},
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    assert row[header.index("label")] == "8"
    assert row[header.index("state_status")] == "Implemented"


def test_a_download_with_a_bad_filter_is_refused_naming_the_field(client):
    response = client.get(reverse("recommendations:export", args=["csv"]), {"meeting": "99"})

    assert response.status_code == 400
    assert response.content.decode().startswith("meeting:")


def test_only_csv_and_xlsx_are_offered(client):
    response = client.get(reverse("recommendations:export", args=["pdf"]))

    assert response.status_code == 404


def test_the_list_costs_the_same_queries_however_many_recommendations(
    client, growth, django_assert_num_queries
):
    # 3 choice lists (themes, meetings, States), 1 count, 1 page of recommendations, 1 themes
    with django_assert_num_queries(6):
        client.get(LIST)
    growth.add(30)
    with django_assert_num_queries(6):
        client.get(LIST)


def test_the_list_with_a_states_status_costs_the_same_queries_however_many_reports(
    client, growth, django_assert_num_queries
):
    params = {"state": "AUT", "theme": "technology", "state_status": "in_progress"}
    growth.add(1)
    # 3 choice lists, 1 the chosen State, 1 count, 1 page of recommendations, 1 themes,
    # 1 the State's statuses on the page (by key), 1 whether demonstration data is present
    with django_assert_num_queries(9):
        client.get(LIST, params)
    growth.add(30)
    with django_assert_num_queries(9):
        client.get(LIST, params)


def test_a_download_costs_the_same_queries_however_many_rows(
    client, growth, django_assert_num_queries
):
    url = reverse("recommendations:export", args=["xlsx"])
    # 3 choice lists (to validate the filters), 1 the rows, 1 their themes
    with django_assert_num_queries(5):
        client.get(url)
    growth.add(30)
    with django_assert_num_queries(5):
        client.get(url)


def test_the_meeting_filter_is_a_dropdown_while_the_meetings_are_few(client):
    form = client.get(LIST).context["form"]

    assert form.fields["meeting"].widget.input_type == "select"
    assert len(form.fields["meeting"].choices) == 1 + Meeting.objects.count()  # and "Any"


@override_settings(PUBLIC_FILTER_SELECT_LIMIT=2)
def test_past_the_limit_the_meeting_filter_is_a_number_field_with_the_same_parameter(client):
    response = client.get(LIST, {"meeting": "7", "status": "adopted"})

    page = response.content.decode()
    assert '<select name="meeting"' not in page
    assert 'type="number" name="meeting" value="7"' in page
    assert "Meeting number" in page
    assert 'id="id_meeting-hint"' in page
    assert response.context["page_obj"].paginator.count == 22
    assert {r.meeting.ordinal for r in response.context["page_obj"].object_list} == {7}


@override_settings(PUBLIC_FILTER_SELECT_LIMIT=2)
def test_a_meeting_number_that_is_not_a_number_is_reported_on_the_form(client):
    response = client.get(LIST, {"meeting": "seventh"})

    assert "Enter a whole number." in response.content.decode()


@override_settings(PUBLIC_FILTER_SELECT_LIMIT=2)
def test_the_list_with_a_meeting_number_costs_the_same_queries_however_many_meetings(
    client, django_assert_num_queries
):
    # 3 choice lists (the meetings: at most the limit + 1 read), 1 count, 1 page, 1 themes
    with django_assert_num_queries(6):
        client.get(LIST, {"meeting": "7"})
    MeetingFactory.create_batch(5)
    with django_assert_num_queries(6):
        client.get(LIST, {"meeting": "7"})


@override_settings(LIST_COUNT_CAP=10)
def test_past_the_cap_the_list_says_more_than_and_pages_up_to_it(client):
    response = client.get(LIST)

    paginator = response.context["page_obj"].paginator
    assert paginator.capped
    assert paginator.count == 10
    assert paginator.num_pages == 1
    page = response.content.decode()
    assert "More than 10 recommendations found." in page
    assert 'data-testid="count-capped"' in page


@override_settings(LIST_COUNT_CAP=47)
def test_a_selection_as_large_as_the_cap_is_counted_exactly(client):
    response = client.get(LIST)

    paginator = response.context["page_obj"].paginator
    assert not paginator.capped
    assert paginator.count == 47
    assert "47 recommendations found." in response.content.decode()


def test_the_count_reads_at_most_the_cap_plus_one_rows(client):
    with override_settings(LIST_COUNT_CAP=10), CaptureQueriesContext(connection) as queries:
        client.get(LIST)

    (count,) = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 11" in count.upper()


def test_the_theme_filter_joins_the_link_table_only(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"theme": "technology"})

    assert (
        response.context["page_obj"].paginator.count
        == Recommendation.objects.filter(themes__slug="technology").count()
    )
    (count,) = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert "recommendations_recommendation_themes" in count
    assert 'recommendations_theme"' not in count
