"""The reporting services: who may do what, what is refused, and what is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.services import StaleVersion
from recommendations import services as recommendation_services
from recommendations.models import Recommendation
from reporting import services
from reporting.models import ImplementationReport, ReportAttachment
from tests.factories import (
    DraftReportFactory,
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
)
from tests.reporting.files import upload

ReviewState = ImplementationReport.ReviewState
TODAY = datetime.date(2024, 5, 1)


def draft(*, by, state, recommendation, **extra) -> ImplementationReport:
    return services.implementation_report_create(
        by=by,
        state=state,
        recommendation=recommendation,
        status="in_progress",
        as_of=TODAY,
        **extra,
    )


# Writing for a State --------------------------------------------------------------------------


def test_a_focal_point_creates_a_draft_for_its_own_state(focal_point, state, recommendation):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    assert report.review_state == ReviewState.DRAFT
    assert report.source == ImplementationReport.Source.FOCAL_POINT
    assert report.submitted_by == focal_point
    assert report.version == 1


def test_focal_point_cannot_create_a_report_for_another_state(
    focal_point, other_state, recommendation
):
    with pytest.raises(PermissionDenied):
        draft(by=focal_point, state=other_state, recommendation=recommendation)
    assert not ImplementationReport.objects.filter(state=other_state).exists()


def test_a_reader_without_a_role_cannot_create_a_report(reader, state, recommendation):
    with pytest.raises(PermissionDenied):
        draft(by=reader, state=state, recommendation=recommendation)


def test_a_focal_point_cannot_validate_its_own_report(focal_point, state, recommendation):
    with pytest.raises(PermissionDenied):
        draft(by=focal_point, state=state, recommendation=recommendation, validate=True)
    assert not ImplementationReport.objects.filter(state=state).exists()


def test_a_focal_point_cannot_choose_the_source(focal_point, state, recommendation):
    report = draft(
        by=focal_point, state=state, recommendation=recommendation, source="questionnaire"
    )
    assert report.source == ImplementationReport.Source.FOCAL_POINT


def test_staff_enter_a_report_on_a_states_behalf_with_its_source(staff, state, recommendation):
    meeting = MeetingFactory()
    report = draft(
        by=staff,
        state=state,
        recommendation=recommendation,
        source="national_statement",
        source_meeting=meeting,
        validate=True,
    )
    assert report.review_state == ReviewState.VALIDATED
    assert report.source_meeting == meeting
    assert report.validated_by == staff


def test_staff_must_say_where_the_information_comes_from(staff, state, recommendation):
    with pytest.raises(ValidationError) as refused:
        draft(by=staff, state=state, recommendation=recommendation)
    assert "source" in refused.value.message_dict


def test_a_national_statement_names_its_meeting(staff, state, recommendation):
    with pytest.raises(ValidationError) as refused:
        draft(by=staff, state=state, recommendation=recommendation, source="national_statement")
    assert "source_meeting" in refused.value.message_dict


# Bad input is refused, and nothing is written ---------------------------------------------------


def test_a_status_date_in_the_future_is_refused(focal_point, state, recommendation):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.implementation_report_create(
            by=focal_point,
            state=state,
            recommendation=recommendation,
            status="implemented",
            as_of=tomorrow,
        )
    assert "cannot be in the future" in str(refused.value.message_dict["as_of"])
    assert not ImplementationReport.objects.filter(state=state).exists()


def test_a_status_outside_the_vocabulary_is_refused(focal_point, state, recommendation):
    with pytest.raises(ValidationError) as refused:
        services.implementation_report_create(
            by=focal_point,
            state=state,
            recommendation=recommendation,
            status="mostly_done",
            as_of=TODAY,
        )
    assert "status" in refused.value.message_dict
    assert not ImplementationReport.objects.filter(state=state).exists()


def test_a_report_on_a_recommendation_that_was_only_proposed_is_refused(focal_point, state):
    proposal = RecommendationFactory(status=Recommendation.Status.PROPOSED, proposer=state)
    with pytest.raises(ValidationError) as refused:
        draft(by=focal_point, state=state, recommendation=proposal)
    assert "recommendation" in refused.value.message_dict


def test_a_period_that_ends_before_it_starts_is_refused(focal_point, state, recommendation):
    with pytest.raises(ValidationError):
        draft(
            by=focal_point,
            state=state,
            recommendation=recommendation,
            period_start=datetime.date(2023, 6, 1),
            period_end=datetime.date(2023, 1, 1),
        )
    assert not ImplementationReport.objects.filter(state=state).exists()


def test_one_bad_attachment_writes_neither_the_report_nor_any_file(
    focal_point, state, recommendation, pdf, private_media
):
    disguised = upload("minutes.pdf", b"MZ\x90\x00 this is a Windows program", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        draft(
            by=focal_point,
            state=state,
            recommendation=recommendation,
            attachments=[pdf, disguised],
        )
    assert "minutes.pdf" in str(refused.value.message_dict["attachments"])
    assert not ImplementationReport.objects.filter(state=state).exists()
    assert not ReportAttachment.objects.exists()
    assert not any(private_media.rglob("*.pdf"))


# The workflow ---------------------------------------------------------------------------------


def test_submit_validate_and_return_move_the_review_state_and_the_version(
    focal_point, staff, state, recommendation
):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_submit(report=report, by=focal_point, version=1)
    assert (report.review_state, report.version) == (ReviewState.SUBMITTED, 2)
    report = services.implementation_report_return(
        report=report, by=staff, comment="Please give the date of the law."
    )
    assert (report.review_state, report.version) == (ReviewState.RETURNED, 3)
    assert report.review_comment == "Please give the date of the law."
    report = services.implementation_report_submit(report=report, by=focal_point)
    report = services.implementation_report_validate(report=report, by=staff)
    assert (report.review_state, report.version) == (ReviewState.VALIDATED, 5)
    assert report.validated_by == staff and report.validated_at is not None


def test_a_report_is_created_and_submitted_in_one_step_or_not_at_all(
    focal_point, state, recommendation
):
    report = draft(by=focal_point, state=state, recommendation=recommendation, submit=True)
    assert (report.review_state, report.version) == (ReviewState.SUBMITTED, 2)
    assert [step.history_change_reason for step in report.history.order_by("history_id")] == [
        "created",
        "submitted for validation",
    ]


def test_an_edit_and_its_submission_are_one_step(focal_point, state, recommendation):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_update(
        report=report, by=focal_point, version=1, status="implemented", submit=True
    )
    assert (report.review_state, report.status, report.version) == (
        ReviewState.SUBMITTED,
        "implemented",
        3,
    )


def test_a_focal_point_cannot_validate_or_return(focal_point, state, recommendation):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_submit(report=report, by=focal_point)
    with pytest.raises(PermissionDenied):
        services.implementation_report_validate(report=report, by=focal_point)
    with pytest.raises(PermissionDenied):
        services.implementation_report_return(report=report, by=focal_point, comment="no")


def test_only_a_submitted_report_can_be_validated(staff, focal_point, state, recommendation):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    with pytest.raises(ValidationError) as refused:
        services.implementation_report_validate(report=report, by=staff)
    assert "review_state" in refused.value.message_dict


def test_returning_a_report_needs_a_comment(staff, focal_point, state, recommendation):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_submit(report=report, by=focal_point)
    with pytest.raises(ValidationError) as refused:
        services.implementation_report_return(report=report, by=staff, comment="  ")
    assert "comment" in refused.value.message_dict
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED


def test_a_submitted_report_is_no_longer_editable_by_the_focal_point(
    focal_point, state, recommendation
):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_submit(report=report, by=focal_point)
    with pytest.raises(PermissionDenied):
        services.implementation_report_update(
            report=report, by=focal_point, version=report.version, status="implemented"
        )


def test_a_validated_report_never_changes(staff, state, recommendation):
    report = ImplementationReportFactory(state=state, recommendation=recommendation)
    with pytest.raises(PermissionDenied):
        services.implementation_report_update(
            report=report, by=staff, version=report.version, status="not_implemented"
        )


def test_reports_are_never_deleted(state, recommendation):
    report = ImplementationReportFactory(state=state, recommendation=recommendation)
    with pytest.raises(Exception, match="never deleted"):
        report.delete()


def test_a_correction_is_a_new_report_that_supersedes_the_validated_one(
    focal_point, staff, state, recommendation
):
    first = ImplementationReportFactory(state=state, recommendation=recommendation)
    correction = draft(by=focal_point, state=state, recommendation=recommendation, supersedes=first)
    correction = services.implementation_report_submit(report=correction, by=focal_point)
    correction = services.implementation_report_validate(report=correction, by=staff)
    assert correction.supersedes == first
    first.refresh_from_db()
    assert first.review_state == ReviewState.VALIDATED  # kept, as it was
    current = ImplementationReport.objects.current().get(state=state, recommendation=recommendation)
    assert current == correction


def test_validation_links_the_report_it_replaces(staff, focal_point, state, recommendation):
    earlier = ImplementationReportFactory(
        state=state, recommendation=recommendation, as_of=datetime.date(2022, 1, 1)
    )
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_submit(report=report, by=focal_point)
    report = services.implementation_report_validate(report=report, by=staff)
    assert report.supersedes == earlier


def test_a_correction_must_be_for_the_same_state_and_recommendation(
    staff, state, other_state, recommendation
):
    first = ImplementationReportFactory(state=other_state, recommendation=recommendation)
    with pytest.raises(ValidationError) as refused:
        draft(
            by=staff,
            state=state,
            recommendation=recommendation,
            source="questionnaire",
            supersedes=first,
        )
    assert "supersedes" in refused.value.message_dict


def test_every_step_is_in_the_history_with_who_and_why(focal_point, staff, state, recommendation):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_update(
        report=report, by=focal_point, version=1, description="A law was adopted."
    )
    report = services.implementation_report_submit(report=report, by=focal_point)
    report = services.implementation_report_validate(report=report, by=staff)
    steps = list(report.history.order_by("history_id"))
    assert [(s.history_change_reason, s.history_user) for s in steps] == [
        ("created", focal_point),
        ("edited", focal_point),
        ("submitted for validation", focal_point),
        ("validated", staff),
    ]
    assert [s.version for s in steps] == [1, 2, 3, 4]


def test_validation_asks_for_a_compliance_refresh(
    staff, focal_point, state, recommendation, monkeypatch
):
    calls = []
    monkeypatch.setattr("compliance.refresh.snapshot_refresh_soon", lambda: calls.append(1))
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_submit(report=report, by=focal_point)
    assert calls == []
    services.implementation_report_validate(report=report, by=staff)
    assert calls == [1]


# Concurrency ----------------------------------------------------------------------------------


def test_a_save_on_a_stale_copy_is_refused_with_what_changed(focal_point, state, recommendation):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    stale_copy = ImplementationReport.objects.get(pk=report.pk)
    services.implementation_report_update(
        report=report, by=focal_point, version=1, description="Training for 200 officers."
    )
    with pytest.raises(StaleVersion) as refused:
        services.implementation_report_update(
            report=stale_copy, by=focal_point, version=stale_copy.version, status="implemented"
        )
    message = " ".join(refused.value.messages)
    assert "Someone else saved this record" in message
    assert "Measures taken" in message and "Training for 200 officers." in message
    assert "focal@reportland.example" in message
    report.refresh_from_db()
    assert report.status == "in_progress" and report.version == 2


def test_a_stale_recommendation_edit_is_refused(staff):
    recommendation = RecommendationFactory(text="Old text.")
    recommendation_services.recommendation_update(
        recommendation=recommendation, by=staff, version=1, text="New text."
    )
    with pytest.raises(StaleVersion) as refused:
        recommendation_services.recommendation_update(
            recommendation=recommendation, by=staff, version=1, section="B"
        )
    assert "New text." in " ".join(refused.value.messages)
    recommendation.refresh_from_db()
    assert recommendation.section == "" and recommendation.version == 2


def test_a_focal_point_cannot_change_the_source_or_state_of_a_draft(
    focal_point, state, recommendation
):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    with pytest.raises(ValidationError) as refused:
        services.implementation_report_update(
            report=report, by=focal_point, version=1, source="questionnaire"
        )
    assert "source" in refused.value.message_dict


# Notifications --------------------------------------------------------------------------------


def test_staff_hear_of_a_submission_once_it_commits(
    focal_point, staff, state, recommendation, django_capture_on_commit_callbacks
):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_report_submit(report=report, by=focal_point)
        assert mail.outbox == []  # nothing before the commit
    # Once: one message (the commit also moves the API's data version, core.data_versions).
    assert [message.to for message in mail.outbox] == [["staff@unodc.example"]]
    assert "Republic of Reportland" in mail.outbox[0].subject


def test_the_focal_point_hears_of_validation_and_of_return(
    focal_point, staff, state, recommendation, django_capture_on_commit_callbacks
):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    report = services.implementation_report_submit(report=report, by=focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.implementation_report_return(
            report=report, by=staff, comment="Add the law's number."
        )
    assert mail.outbox[-1].to == ["focal@reportland.example"]
    assert "Add the law's number." in mail.outbox[-1].body
    report = services.implementation_report_submit(report=report, by=focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_report_validate(report=report, by=staff)
    assert mail.outbox[-1].to == ["focal@reportland.example"]
    assert "validated" in mail.outbox[-1].subject


def test_nothing_is_sent_for_a_write_that_rolled_back(
    focal_point, state, recommendation, django_capture_on_commit_callbacks
):
    report = draft(by=focal_point, state=state, recommendation=recommendation)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(StaleVersion),
    ):
        services.implementation_report_submit(report=report, by=focal_point, version=99)
    assert callbacks == [] and mail.outbox == []


def test_a_notification_task_run_late_sends_nothing_that_no_longer_applies(
    focal_point, state, recommendation
):
    from reporting.tasks import notify_report_submitted

    report = DraftReportFactory(state=state, recommendation=recommendation)
    assert notify_report_submitted(report.pk) == 0  # still a draft: nothing to review
    assert notify_report_submitted(10**9) == 0  # no such report
    assert mail.outbox == []
