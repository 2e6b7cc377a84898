"""Meeting pages: the list and each meeting's record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_the_meeting_list_shows_every_meeting_newest_first_with_counts(client):
    response = client.get(reverse("meetings:list"))

    meetings = list(response.context["meetings"])
    assert [m.ordinal for m in meetings][:3] == [9, 8, 7]
    seventh = next(m for m in meetings if m.ordinal == 7)
    assert (seventh.adopted_count, seventh.proposed_count) == (22, 9)


def test_the_2020_meeting_page_holds_its_whole_record(client):
    response = client.get(reverse("meetings:detail", args=[7]))

    page = response.content.decode()
    assert "Francesco Testa" in page
    assert "Hybrid (in person and online)" in page
    assert "Opening of the meeting" in page  # agenda sub-item 1 (a)
    assert "CTOC/COP/WG.7/2020/1" in page
    capacities = dict(response.context["attendance"])
    assert len(capacities["Party to the Protocol"]) == 74
    assert response.context["panellists"]
    assert [r.label for r in response.context["adopted"]] == [str(n) for n in range(1, 23)]
    assert len(response.context["proposed"]) == 9


def test_recommendations_are_listed_in_agenda_order(client):
    response = client.get(reverse("meetings:detail", args=[7]))

    items = [r.agenda_item.number for r in response.context["adopted"]]
    assert items == sorted(items)


def test_an_unknown_meeting_is_not_found(client):
    assert client.get(reverse("meetings:detail", args=[99])).status_code == 404


def test_meeting_pages_cost_the_same_queries_however_much_data(
    client, growth, django_assert_num_queries
):
    growth.add(1)
    detail = reverse("meetings:detail", args=[growth.meeting.ordinal])
    # 1 the meeting, for the title; then the content (kept under the data versions, which
    # the test settings turn off): 1 meeting with chair's State, 1 statements, 1 their agenda
    # items, 1 recommendations, 1 their themes, 1 the proposals that led to them, 1 agenda,
    # 1 documents, 1 their themes, 1 attendance
    with django_assert_num_queries(11):
        client.get(detail)
    # 1 how many meetings, 1 the page's meetings with their counts
    with django_assert_num_queries(2):
        client.get(reverse("meetings:list"))
    growth.add(12)
    with django_assert_num_queries(11):
        client.get(detail)
    with django_assert_num_queries(2):
        client.get(reverse("meetings:list"))


def test_years_of_meetings_are_listed_a_page_at_a_time_newest_first(client, settings):
    settings.PUBLIC_SITE_PAGE_SIZE = 3
    ordinals = list(Meeting.objects.order_by("-ordinal").values_list("ordinal", flat=True))

    first = client.get(reverse("meetings:list"))
    second = client.get(reverse("meetings:list"), {"page": 2})

    assert [m.ordinal for m in first.context["meetings"]] == ordinals[:3]
    assert [m.ordinal for m in second.context["meetings"]] == ordinals[3:6]
    assert 'rel="next"' in first.content.decode()
    assert (
        first.context["meetings"][0].adopted_count
        == Meeting.objects.get(ordinal=ordinals[0]).recommendations.filter(status="adopted").count()
    )


def test_a_meetings_page_is_kept_until_a_committed_write_changes_it(
    client, settings, committed_write, django_assert_num_queries
):
    settings.VERSIONED_CACHE_SECONDS = 300
    meeting = Meeting.objects.order_by("-ordinal").first()
    detail = reverse("meetings:detail", args=[meeting.ordinal])
    committed_write(lambda: RecommendationFactory(meeting=meeting, status="adopted"))
    before = len(client.get(detail).context["adopted"])

    # The meeting's row (the title) and the versions.
    with django_assert_num_queries(2):
        client.get(detail)

    committed_write(lambda: RecommendationFactory(meeting=meeting, status="adopted"))
    assert len(client.get(detail).context["adopted"]) == before + 1
