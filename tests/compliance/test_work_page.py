""" "Needs your action" (/work/): where signing in lands, what it lists for a focal point and for
the Secretariat, whose eyes the Secretariat's comment is for, and a query count that does not
grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from compliance.models import ReminderLog
from compliance.selectors import reminder_settings
from compliance.work_selectors import (
    LIST_LIMIT,
    reminders_plan,
    secretariat_work,
    states_silent_on,
)
from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from tests.factories import (
    DraftReportFactory,
    FocalPointFactory,
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
    StateFactory,
)

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
COMMENT = "Please cite the decree that adopted the action plan."
WORK = "/work/"

RETURNED = ImplementationReport.ReviewState.RETURNED
SUBMITTED = ImplementationReport.ReviewState.SUBMITTED


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def returned_report(**kwargs):
    return DraftReportFactory(review_state=RETURNED, review_comment=COMMENT, **kwargs)


def submitted_report(**kwargs):
    return DraftReportFactory(review_state=SUBMITTED, **kwargs)


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# Landing after sign-in -------------------------------------------------------------------------


def test_the_page_is_at_work_and_named_work():
    assert reverse("work") == WORK


def test_signing_in_lands_on_needs_your_action(client, focal_point_a):
    response = client.post(
        reverse("login"), {"username": focal_point_a.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("work")


def test_a_next_address_still_wins_over_the_landing_page(client, focal_point_a):
    response = client.post(
        reverse("login") + "?next=" + reverse("reporting:my_state"),
        {"username": focal_point_a.username, "password": PASSWORD},
    )
    assert response.url == reverse("reporting:my_state")


def test_anonymous_visitors_are_asked_to_sign_in(anonymous):
    response = anonymous.get(WORK)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "next=/work/" in response.url


def test_a_signed_in_reader_is_pointed_to_the_public_pages(reader):
    text = page_text(signed_in(reader).get(WORK))
    assert "Needs your action" in text
    assert "no reporting role" in text
    assert reverse("recommendations:list") in text
    assert reverse("compliance:summary") in text


def test_the_navigation_offers_the_page_first_and_marks_it_current(focal_point_a):
    text = page_text(signed_in(focal_point_a).get(WORK))
    account_nav = text.split('<ul class="account-nav">', 1)[1]
    first_item = account_nav.split("</li>", 1)[0]
    assert f'href="{WORK}"' in first_item
    assert 'aria-current="page"' in first_item
    assert "Needs your action" in first_item


def test_the_navigation_link_is_not_current_on_other_pages(focal_point_a):
    text = page_text(signed_in(focal_point_a).get(reverse("reporting:my_state")))
    account_nav = text.split('<ul class="account-nav">', 1)[1]
    first_item = account_nav.split("</li>", 1)[0]
    assert f'href="{WORK}"' in first_item
    assert "aria-current" not in first_item


# A focal point -------------------------------------------------------------------------------


def test_a_focal_point_sees_each_section_in_order(focal_point_a):
    text = page_text(signed_in(focal_point_a).get(WORK))
    headings = [
        "Returned to you",
        "Drafts",
        "Waiting for the Secretariat",
        "Recommendations with no report from Republic of Reportland",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_empty_sections_say_so_plainly(focal_point_a, state_a):
    for recommendation in Recommendation.objects.filter(status="adopted"):
        ImplementationReportFactory(state=state_a, recommendation=recommendation)
    text = page_text(signed_in(focal_point_a).get(WORK))
    assert "Nothing returned to you." in text
    assert "No drafts." in text
    assert "Nothing is waiting for the Secretariat." in text
    assert "Your State has reported on every adopted recommendation." in text


def test_a_returned_report_shows_the_comment_and_an_edit_and_resubmit_link(focal_point_a, state_a):
    report = returned_report(state=state_a)
    response = signed_in(focal_point_a).get(WORK)
    text = page_text(response)
    assert COMMENT in text
    assert reverse("reporting:report_edit", args=[report.pk]) in text
    assert "Edit and resubmit" in text
    assert response.context["work"].returned.total == 1


def test_drafts_and_submissions_are_listed_with_their_links(focal_point_a, state_a):
    draft = DraftReportFactory(state=state_a)
    submitted = submitted_report(state=state_a)
    response = signed_in(focal_point_a).get(WORK)
    text = page_text(response)
    work = response.context["work"]
    assert work.drafts.items == [draft]
    assert work.submitted.items == [submitted]
    assert reverse("reporting:report_edit", args=[draft.pk]) in text
    assert reverse("reporting:report_detail", args=[submitted.pk]) in text
    # A submitted report waits on the Secretariat: the focal point has nothing to edit.
    assert reverse("reporting:report_edit", args=[submitted.pk]) not in text


def test_recommendations_without_any_report_offer_to_write_one(focal_point_a, state_a):
    untouched = RecommendationFactory()
    validated = RecommendationFactory()
    drafted = RecommendationFactory()
    RecommendationFactory(status="draft")  # not adopted: nothing to report on
    ImplementationReportFactory(state=state_a, recommendation=validated)
    DraftReportFactory(state=state_a, recommendation=drafted)
    ImplementationReportFactory(recommendation=untouched)  # another State's report
    response = signed_in(focal_point_a).get(WORK)
    text = page_text(response)
    # The factories' meetings are later than the WGSOM data's: theirs come first.
    listed = response.context["work"].unreported.items
    assert untouched in listed
    assert validated not in listed
    assert drafted not in listed
    assert f"{reverse('reporting:report_new')}?recommendation={untouched.pk}" in text
    assert "Write a report" in text


def test_the_write_a_report_link_preselects_the_recommendation(focal_point_a):
    recommendation = RecommendationFactory()
    response = signed_in(focal_point_a).get(
        f"{reverse('reporting:report_new')}?recommendation={recommendation.pk}"
    )
    assert response.status_code == 200
    assert str(response.context["form"]["recommendation"].value()) == str(recommendation.pk)


def test_long_lists_are_capped_with_a_link_to_the_states_page(focal_point_a):
    meeting = MeetingFactory()
    for _ in range(LIST_LIMIT + 2):
        RecommendationFactory(meeting=meeting)
    response = signed_in(focal_point_a).get(WORK)
    text = page_text(response)
    unreported = response.context["work"].unreported
    adopted = Recommendation.objects.filter(status="adopted").count()
    assert (len(unreported.items), unreported.total) == (LIST_LIMIT, adopted)
    assert unreported.more == adopted - LIST_LIMIT >= 2
    assert f"And {adopted - LIST_LIMIT} more on your State's reports page" in text
    assert text.count("Write a report<span") == LIST_LIMIT


def test_another_states_reports_are_not_listed(focal_point_a, state_b):
    other = returned_report(state=state_b)
    DraftReportFactory(state=state_b)
    response = signed_in(focal_point_a).get(WORK)
    work = response.context["work"]
    assert (work.returned.total, work.drafts.total, work.submitted.total) == (0, 0, 0)
    assert reverse("reporting:report_edit", args=[other.pk]) not in page_text(response)


# Whose eyes the Secretariat's comment is for ---------------------------------------------------


def test_another_states_focal_point_never_sees_the_returned_comment(state_a, focal_point_b, reader):
    returned_report(state=state_a)
    assert COMMENT not in page_text(signed_in(focal_point_b).get(WORK))
    assert COMMENT not in page_text(signed_in(reader).get(WORK))


# The Secretariat -------------------------------------------------------------------------------


def _age(report, days: int) -> None:
    # Made by a factory, a report has no recorded submission step: it waits since it was
    # created, which a test sets with an update (created_at is set on insert).
    ImplementationReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_secretariat_sees_submitted_reports_oldest_first_with_days_waiting(
    secretariat_client, state_a, state_b
):
    recent = submitted_report(state=state_a)
    old = submitted_report(state=state_b)
    _age(recent, 2)
    _age(old, 9)
    response = secretariat_client.get(WORK)
    text = page_text(response)
    waiting = response.context["work"].waiting
    assert [item.report for item in waiting.items] == [old, recent]
    assert [item.days for item in waiting.items] == [9, 2]
    assert "Waiting for 9 days" in text
    assert reverse("reporting:report_detail", args=[old.pk]) in text


def test_the_secretariat_sees_the_returned_reports_but_no_comment_on_this_page(
    secretariat_client, state_a
):
    report = returned_report(state=state_a)
    response = secretariat_client.get(WORK)
    text = page_text(response)
    assert response.context["work"].returned.items == [report]
    assert "Returned, waiting on States" in text
    assert reverse("reporting:report_detail", args=[report.pk]) in text
    assert COMMENT not in text


def test_the_secretariat_sees_the_states_silent_on_the_latest_meeting(secretariat_client):
    older, latest = MeetingFactory(ordinal=50), MeetingFactory(ordinal=51)
    RecommendationFactory(meeting=older)
    on_latest = RecommendationFactory(meeting=latest)
    reported = StateFactory(name="Reportedland")
    drafting = StateFactory(name="Draftland")
    StateFactory(name="Silentland")
    StateFactory(name="Signatoryland", protocol_status="signatory")  # not a party
    ImplementationReportFactory(state=reported, recommendation=on_latest)
    DraftReportFactory(state=drafting, recommendation=on_latest)  # a draft is not a report
    names = {state.name for state in states_silent_on(meeting=latest)}
    assert {"Draftland", "Silentland"} <= names
    assert not {"Reportedland", "Signatoryland"} & names
    response = secretariat_client.get(WORK)
    text = page_text(response)
    work = response.context["work"]
    assert work.meeting == latest
    assert work.silent_states.total == len(names)
    assert "Reportedland" not in text
    listed = work.silent_states.items
    assert listed == sorted(listed, key=lambda state: state.display_name.casefold())
    assert reverse("reporting:state", args=[listed[0].code]) in text


def test_empty_secretariat_sections_say_so(secretariat_client):
    text = page_text(secretariat_client.get(WORK))
    assert "No report is waiting for validation." in text
    assert "No report is waiting on a State." in text


def test_the_secretariat_has_quick_links_to_its_tools(secretariat_client):
    text = page_text(secretariat_client.get(WORK))
    for name in ("reporting:review_queue", "reporting:bulk_entry", "reporting:import"):
        assert reverse(name) in text


def test_the_reminders_page_is_linked_only_where_it_exists(secretariat_client):
    response = secretariat_client.get(WORK)
    url = response.context["reminders_url"]
    try:
        expected = reverse("compliance:reminders")
    except Exception:  # NoReverseMatch: not part of this installation
        expected = None
    assert url == expected
    if url:
        assert f'href="{url}"' in page_text(response)


def _meeting_due_on(due: datetime.date):
    """A meeting with an adopted recommendation, whose reminders may start on `due` by the
    Secretariat's number of days (whatever it is set to)."""
    days = reminder_settings().days_after_meeting
    end = due - datetime.timedelta(days=days)
    meeting = MeetingFactory(year=end.year, start_date=None, end_date=end)
    return meeting, RecommendationFactory(meeting=meeting)


def _vienna(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_the_reminders_plan_says_when_the_next_run_is_and_whom_it_reminds(db):
    # Reminders may start on Sunday 31 March 2024; the weekly run is on Mondays at 08:00.
    meeting, recommendation = _meeting_due_on(datetime.date(2024, 3, 31))
    silent, reported, reminded = StateFactory(), StateFactory(), StateFactory()
    for state in (silent, reported, reminded):
        FocalPointFactory(state=state)
    ImplementationReportFactory(state=reported, recommendation=recommendation)
    ReminderLog.objects.create(
        state=reminded,
        iso_year=2024,
        iso_week=14,  # the week of Monday 1 April
        meeting=meeting,
        recipients=[],
        missing_recommendations=1,
    )

    # Early on that Monday, the run of that day skips the State already reminded this week.
    plan = reminders_plan(now=_vienna(2024, 4, 1, 7, 0))
    assert plan.meeting == meeting
    assert plan.due == datetime.date(2024, 3, 31)
    assert timezone.localtime(plan.next_run).replace(tzinfo=None) == datetime.datetime(
        2024, 4, 1, 8, 0
    )
    assert plan.states == 1

    # Weeks before the due day, the first run is still that Monday's.
    plan = reminders_plan(now=_vienna(2024, 2, 1, 12, 0))
    assert timezone.localtime(plan.next_run).replace(tzinfo=None) == datetime.datetime(
        2024, 4, 1, 8, 0
    )

    # Later that Monday, the next run is a week later and reminds both again.
    plan = reminders_plan(now=_vienna(2024, 4, 1, 9, 0))
    assert timezone.localtime(plan.next_run).replace(tzinfo=None) == datetime.datetime(
        2024, 4, 8, 8, 0
    )
    assert plan.states == 2


def test_the_reminders_plan_has_no_run_when_the_schedule_is_switched_off(db):
    from django_celery_beat.models import PeriodicTask

    PeriodicTask.objects.filter(task="compliance.tasks.send_reminders").update(enabled=False)
    _meeting_due_on(datetime.date(2024, 3, 31))
    plan = reminders_plan()
    assert plan.next_run is None
    assert plan.due == datetime.date(2024, 3, 31)


def test_the_secretariat_page_shows_the_reminders_due(secretariat_client):
    _meeting_due_on(datetime.date(2024, 3, 31))
    FocalPointFactory(state=StateFactory())
    text = page_text(secretariat_client.get(WORK))
    assert "Reminders due" in text
    assert "States it would remind" in text


# Query counts ----------------------------------------------------------------------------------


def _grow_focal_point_data(state, size: int) -> None:
    """Per step: a recommendation not reported on, and a returned, a draft and a submitted
    report of `state`, and a returned report of another State."""
    for _ in range(size):
        RecommendationFactory()
        returned_report(state=state)
        DraftReportFactory(state=state)
        submitted_report(state=state)
        returned_report()


def _grow_secretariat_data(size: int) -> None:
    """Per step: a State party with a focal point, a submitted and a returned report."""
    meeting = MeetingFactory()
    for _ in range(size):
        state = StateFactory()
        FocalPointFactory(state=state)
        recommendation = RecommendationFactory(meeting=meeting)
        submitted_report(state=state, recommendation=recommendation)
        returned_report(state=state)


def test_the_focal_point_page_costs_the_same_queries_whatever_the_data(
    focal_point_a, state_a, django_assert_max_num_queries
):
    client = signed_in(focal_point_a)
    # session, user, Secretariat check (no), the user's State, the State's open reports,
    # the recommendations it has not reported on
    _grow_focal_point_data(state_a, 1)
    with django_assert_max_num_queries(6):
        page_text(client.get(WORK))
    _grow_focal_point_data(state_a, 15)
    with django_assert_max_num_queries(6):
        page_text(client.get(WORK))


def test_the_secretariat_page_costs_the_same_queries_whatever_the_data(
    secretariat_client, django_assert_max_num_queries
):
    # session, user, Secretariat check; the selector's twelve (see the test below)
    _grow_secretariat_data(1)
    with django_assert_max_num_queries(15):
        page_text(secretariat_client.get(WORK))
    _grow_secretariat_data(15)
    with django_assert_max_num_queries(15):
        page_text(secretariat_client.get(WORK))


def test_the_secretariat_selector_reads_in_twelve_queries(db, django_assert_num_queries):
    _grow_secretariat_data(3)
    # the review queue's counts, its first page, the first returned reports; the reminders
    # preview (settings, latest meeting, four for the candidates, this week's log) and
    # schedule; the States silent on the latest meeting
    with django_assert_num_queries(12):
        work = secretariat_work()
    assert work.waiting.total == 3


@pytest.mark.parametrize("size", [1, 12])
def test_the_secretariat_lists_are_capped(secretariat_client, size):
    _grow_secretariat_data(size)
    work = secretariat_client.get(WORK).context["work"]
    assert len(work.waiting.items) == min(size, LIST_LIMIT)
    assert work.waiting.total == size
    assert work.returned.more == max(size - LIST_LIMIT, 0)
