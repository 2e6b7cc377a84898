"""The Secretariat's admin: every list page runs the same number of queries at any data size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Participation, Statement
from reporting.models import ImplementationReport
from tests.factories import (
    AgendaItemFactory,
    DocumentFactory,
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
    StateFactory,
    SuperuserFactory,
    ThemeFactory,
)

CHANGELISTS = [
    "accounts_user",
    "states_regionalgroup",
    "states_state",
    "states_contactpoint",
    "meetings_meeting",
    "meetings_agendaitem",
    "meetings_document",
    "meetings_organization",
    "meetings_participation",
    "meetings_statement",
    "recommendations_theme",
    "recommendations_recommendation",
    "recommendations_thesaurusentry",
    "reporting_implementationreport",
]


def grow_data(size: int) -> None:
    """Add `size` of everything an admin list shows, with the relations the lists display."""
    themes = ThemeFactory.create_batch(2)
    for _ in range(size):
        meeting = MeetingFactory()
        item = AgendaItemFactory(meeting=meeting)
        state = StateFactory()
        DocumentFactory(meeting=meeting).themes.set(themes)
        recommendation = RecommendationFactory(meeting=meeting, agenda_item=item, themes=themes)
        ImplementationReportFactory(state=state, recommendation=recommendation)
        Participation.objects.create(meeting=meeting, state=state, capacity="party")
        statement = Statement.objects.create(meeting=meeting, kind="national", state=state)
        statement.agenda_items.set([item])
        state.contact_points.create(kind="contact_point", authority="Ministry of the Interior")
        SuperuserFactory(state=state)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_list_runs_a_constant_number_of_queries(superuser_client, name):
    url = reverse(f"admin:{name}_changelist")
    grow_data(3)
    with_few = queries_for(superuser_client, url)
    grow_data(12)
    with_many = queries_for(superuser_client, url)
    assert with_many == with_few


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_list_query_budget(superuser_client, django_assert_max_num_queries, name):
    grow_data(5)
    # session + user, the page's count and rows, one prefetch per many-to-many shown, the
    # filters' choices (meetings, themes, regional groups, years) and the full count.
    with django_assert_max_num_queries(14):
        response = superuser_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


def test_admin_searches_recommendations_by_text(superuser_client):
    RecommendationFactory(text="States parties should map hypothetical smuggling corridors.")
    RecommendationFactory(text="States parties should raise awareness.")
    response = superuser_client.get(
        reverse("admin:recommendations_recommendation_changelist"),
        {"q": "hypothetical smuggling corridors"},
    )
    assert response.context["cl"].result_count == 1


@pytest.mark.usefixtures("wgsom")
def test_admin_filters_recommendations_by_meeting_theme_status_and_strength(superuser_client):
    url = reverse("admin:recommendations_recommendation_changelist")
    response = superuser_client.get(
        url,
        {
            "meeting__id__exact": _meeting_pk(7),
            "status__exact": "adopted",
            "strength__exact": "may_consider",
        },
    )
    assert [r.label for r in response.context["cl"].result_list] == ["12"]


def _meeting_pk(ordinal: int) -> int:
    from meetings.models import Meeting

    return Meeting.objects.get(ordinal=ordinal).pk


@pytest.mark.usefixtures("wgsom")
def test_admin_change_pages_show_inlines_and_history(superuser_client):
    from recommendations.models import Recommendation
    from states.models import State

    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="8")
    assert (
        superuser_client.get(
            reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
        ).status_code
        == 200
    )
    assert (
        superuser_client.get(
            reverse("admin:recommendations_recommendation_history", args=[recommendation.pk])
        ).status_code
        == 200
    )
    austria = State.objects.get(code="AUT")
    assert (
        superuser_client.get(reverse("admin:states_state_change", args=[austria.pk])).status_code
        == 200
    )
    meeting_url = reverse("admin:meetings_meeting_change", args=[_meeting_pk(7)])
    response = superuser_client.get(meeting_url)
    assert response.status_code == 200
    assert "Opening of the meeting" in response.content.decode()


@pytest.mark.usefixtures("wgsom")
def test_states_autocomplete_finds_a_state_by_an_other_name(superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "reporting",
            "model_name": "implementationreport",
            "field_name": "state",
            "term": "Turkey",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Türkiye"]


def test_implementation_reports_cannot_be_deleted_in_the_admin(superuser_client):
    report = ImplementationReportFactory()
    response = superuser_client.post(
        reverse("admin:reporting_implementationreport_delete", args=[report.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 403
    assert ImplementationReport.objects.filter(pk=report.pk).exists()


def test_a_report_saved_in_the_admin_records_who_entered_and_validated_it(superuser_client):
    recommendation = RecommendationFactory()
    state = StateFactory()
    response = superuser_client.post(
        reverse("admin:reporting_implementationreport_add"),
        {
            "state": state.pk,
            "recommendation": recommendation.pk,
            "status": "partially_implemented",
            "as_of": "2024-03-01",
            "source": "questionnaire",
            "review_state": "validated",
            "description": "A national action plan was adopted.",
        },
    )
    assert response.status_code == 302, response.content
    report = ImplementationReport.objects.get()
    assert report.submitted_by.username == "superuser"
    assert report.validated_by.username == "superuser"
    assert report.validated_at is not None


def test_a_report_dated_in_the_future_is_refused_in_the_admin(superuser_client):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = superuser_client.post(
        reverse("admin:reporting_implementationreport_add"),
        {
            "state": StateFactory().pk,
            "recommendation": RecommendationFactory().pk,
            "status": "implemented",
            "as_of": tomorrow.isoformat(),
            "source": "questionnaire",
            "review_state": "draft",
        },
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not ImplementationReport.objects.exists()
