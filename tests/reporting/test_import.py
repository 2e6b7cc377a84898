"""CSV and XLSX import: the upload queues a check (a dry run, by a job) whose page previews the
file or lists its row-level errors; nothing until confirmed; all rows or none."""

from __future__ import annotations

import datetime
import os
import time

import pytest
import tablib
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting import services
from reporting.models import ImplementationReport, ImportJob
from reporting.tasks import purge_unconfirmed_imports
from tests.factories import RecommendationFactory, StateFactory
from tests.reporting.files import upload, xlsx_bytes

HEADER = "state,meeting,recommendation,status,as_of,source,source_meeting,description"


@pytest.fixture
def rows(db):
    """Three States and one recommendation, named as a Secretariat file would name them."""
    recommendation = RecommendationFactory()
    states = StateFactory.create_batch(3)
    return recommendation, states


def csv_of(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def good_lines(recommendation, states) -> list[str]:
    ordinal, label = recommendation.meeting.ordinal, recommendation.label
    return [
        f"{states[0].code},{ordinal},{label},implemented,2024-01-10,questionnaire,,Law adopted",
        f"{states[1].name},{ordinal},{label},In progress,2024-01-11,Questionnaire response,,",
        f"{states[2].code.lower()},{ordinal},{label},not_implemented,2024-01-12,"
        f"national_statement,{ordinal},Said so at the meeting",
    ]


def imported(states) -> int:
    return ImplementationReport.objects.filter(state__in=states).count()


def upload_checked(client, capture, content: bytes, name: str = "reports.csv"):
    """Upload a file and let its check job run (in-process here, once the request commits);
    returns the upload's response, a redirect to the job's page."""
    with capture(execute=True):
        return client.post(reverse("reporting:import"), {"file": upload(name, content)})


def confirm(client, capture, job, **data):
    with capture(execute=True):
        return client.post(reverse("reporting:import_confirm", args=[job.pk]), data)


def test_the_check_previews_every_row_and_imports_nothing(
    client, staff, rows, django_capture_on_commit_callbacks
):
    recommendation, states = rows
    client.force_login(staff)
    response = upload_checked(
        client, django_capture_on_commit_callbacks, csv_of(good_lines(recommendation, states))
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reporting:import_job", args=[job.pk])
    assert (job.status, job.total_rows, job.errors, job.error_count) == ("checked", 3, [], 0)
    assert [row["state"] for row in job.preview["rows"]] == [state.name for state in states]
    assert [row["line"] for row in job.preview["rows"]] == [2, 3, 4]
    assert (job.preview["states"], job.preview["recommendations"]) == (3, 1)
    page = client.get(response.url)
    assert "confirm_form" in page.context
    assert "Nothing has been imported yet." in page.content.decode()
    assert "Import 3 reports" in page.content.decode()
    assert imported(states) == 0


def test_confirming_imports_every_row_through_the_services(
    client, staff, rows, django_capture_on_commit_callbacks
):
    recommendation, states = rows
    client.force_login(staff)
    upload_checked(
        client, django_capture_on_commit_callbacks, csv_of(good_lines(recommendation, states))
    )
    job = ImportJob.objects.get()
    # The confirmation queues the import on the same job, run once the request's transaction
    # commits (at once in eager mode, as here).
    response = confirm(client, django_capture_on_commit_callbacks, job, validate="on")
    job.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("reporting:import_job", args=[job.pk])
    assert (job.status, job.total_rows, job.created_count, job.errors) == ("done", 3, 3, [])
    page = client.get(response.url)
    assert "3 reports imported from reports.csv." in page.content.decode()
    reports = ImplementationReport.objects.filter(state__in=states).order_by("as_of")
    assert [(r.state, r.status, r.source, r.review_state) for r in reports] == [
        (states[0], "implemented", "questionnaire", "validated"),
        (states[1], "in_progress", "questionnaire", "validated"),
        (states[2], "not_implemented", "national_statement", "validated"),
    ]
    assert reports[2].source_meeting == recommendation.meeting
    assert {r.submitted_by for r in reports} == {staff}
    assert all(r.history.first().history_user == staff for r in reports)


def test_one_bad_row_among_good_ones_imports_nothing_and_names_the_row(
    client, staff, rows, django_capture_on_commit_callbacks
):
    recommendation, states = rows
    lines = good_lines(recommendation, states)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    lines.insert(
        1,
        f"{states[1].code},{recommendation.meeting.ordinal},999,done,"
        f"{tomorrow.isoformat()},questionnaire,,",
    )
    client.force_login(staff)
    response = upload_checked(client, django_capture_on_commit_callbacks, csv_of(lines))
    job = ImportJob.objects.get()
    assert job.errors == [
        f"Line 3, column “recommendation”: Meeting {recommendation.meeting.ordinal} has no "
        "recommendation labelled “999”.",
        "Line 3, column “status”: “done” is not one of: implemented, partially_implemented, "
        "in_progress, not_implemented, not_applicable.",
        "Line 3, column “as_of”: The status date cannot be in the future.",
    ]
    assert (job.status, job.error_count, job.confirmed_at) == ("failed", 3, None)
    page = client.get(response.url)
    assert page.context["confirm_form"] is None
    assert "Nothing was imported: the file has 3 errors" in page.content.decode()
    assert imported(states) == 0


def test_the_import_service_writes_nothing_when_a_row_is_bad_even_without_a_dry_run(staff, rows):
    recommendation, states = rows
    dataset = tablib.Dataset(headers=HEADER.split(","))
    dataset.append(
        [
            states[0].code,
            recommendation.meeting.ordinal,
            recommendation.label,
            "implemented",
            "2024-01-01",
            "questionnaire",
            "",
            "",
        ]
    )
    dataset.append(
        [
            "Atlantis",
            recommendation.meeting.ordinal,
            recommendation.label,
            "implemented",
            "2024-01-01",
            "questionnaire",
            "",
            "",
        ]
    )
    outcome = services.implementation_reports_import(by=staff, dataset=dataset, dry_run=False)
    assert outcome.errors == ["Line 3, column “state”: No State is called or coded “Atlantis”."]
    assert not outcome.imported
    assert imported(states) == 0


def test_an_xlsx_file_with_date_cells_is_imported(
    client, staff, rows, django_capture_on_commit_callbacks
):
    recommendation, states = rows
    workbook = xlsx_bytes(
        [
            ["State", "Meeting", "Recommendation", "Status", "As_of", "Source"],
            [
                states[0].code,
                recommendation.meeting.ordinal,
                recommendation.label,
                "partially_implemented",
                datetime.datetime(2024, 2, 3),
                "review_mechanism",
            ],
        ]
    )
    client.force_login(staff)
    upload_checked(client, django_capture_on_commit_callbacks, workbook, "r.xlsx")
    job = ImportJob.objects.get()
    assert (job.status, job.preview["rows"][0]["as_of"]) == ("checked", "2024-02-03")
    confirm(client, django_capture_on_commit_callbacks, job)
    report = ImplementationReport.objects.get(state=states[0])
    assert (report.as_of, report.source, report.review_state) == (
        datetime.date(2024, 2, 3),
        "review_mechanism",
        "draft",  # "record as validated" was left unticked
    )


def test_a_file_without_the_required_columns_is_refused_at_the_upload(client, staff, rows):
    client.force_login(staff)
    response = client.post(
        reverse("reporting:import"),
        {"file": upload("r.csv", b"country,status\nAUT,implemented\n")},
    )
    assert response.context["form"].errors["file"] == [
        "“r.csv”: The first line must name the columns; missing: state, meeting, "
        "recommendation, as_of, source."
    ]
    assert not ImportJob.objects.exists()


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("reporting:import"), {"file": upload("r.csv", b"%PDF-1.4 not a table")}
    )
    assert response.context["form"].errors["file"] == ["“r.csv” is neither a CSV nor an XLSX file."]


def test_a_file_still_being_checked_cannot_be_confirmed(
    client, staff, rows, private_media, django_capture_on_commit_callbacks
):
    recommendation, states = rows
    client.force_login(staff)
    # The check is queued but has not run (its callback is not executed).
    with django_capture_on_commit_callbacks():
        client.post(
            reverse("reporting:import"),
            {"file": upload("reports.csv", csv_of(good_lines(recommendation, states)))},
        )
    job = ImportJob.objects.get()
    assert job.status == "check_queued"
    response = confirm(client, django_capture_on_commit_callbacks, job, validate="on")
    assert response.url == reverse("reporting:import_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.confirmed_at) == ("check_queued", None)
    assert imported(states) == 0


def test_only_staff_import(focal_point, rows):
    with pytest.raises(PermissionDenied):
        services.implementation_reports_import(
            by=focal_point, dataset=tablib.Dataset(headers=HEADER.split(",")), dry_run=True
        )


def test_only_staff_upload(focal_point, rows):
    recommendation, states = rows
    with pytest.raises(PermissionDenied):
        services.implementation_reports_import_upload(
            by=focal_point, content=csv_of(good_lines(recommendation, states)), filename="r.csv"
        )
    assert not ImportJob.objects.exists()


def held_files(private_media) -> list[str]:
    """The uploads kept privately between their upload and their import."""
    return sorted(str(p) for p in private_media.rglob("*.upload"))


def checked(client, capture, recommendation, states) -> ImportJob:
    upload_checked(client, capture, csv_of(good_lines(recommendation, states)))
    return ImportJob.objects.order_by("-pk").first()


def test_a_confirmed_upload_is_not_kept(
    client, staff, rows, private_media, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    job = checked(client, django_capture_on_commit_callbacks, *rows)
    assert len(held_files(private_media)) == 1
    confirm(client, django_capture_on_commit_callbacks, job, validate="on")
    assert held_files(private_media) == []


def test_a_checked_file_confirmed_twice_is_imported_once(
    client, staff, rows, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    job = checked(client, django_capture_on_commit_callbacks, *rows)
    confirm(client, django_capture_on_commit_callbacks, job, validate="on")
    again = confirm(client, django_capture_on_commit_callbacks, job, validate="on")
    assert again.url == reverse("reporting:import_job", args=[job.pk])
    assert imported(rows[1]) == 3


def test_a_file_with_errors_is_not_kept(
    client, staff, rows, private_media, django_capture_on_commit_callbacks
):
    recommendation, states = rows
    client.force_login(staff)
    bad = [f"{states[0].code},{recommendation.meeting.ordinal},999,done,2024-01-10,x,,"]
    upload_checked(client, django_capture_on_commit_callbacks, csv_of(bad))
    assert ImportJob.objects.get().status == "failed"
    assert held_files(private_media) == []


def test_another_staff_member_cannot_see_or_confirm_someone_elses_check(
    client, staff, superuser, rows, private_media, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    job = checked(client, django_capture_on_commit_callbacks, *rows)
    client.force_login(superuser)
    assert client.get(reverse("reporting:import_job", args=[job.pk])).status_code == 404
    response = confirm(client, django_capture_on_commit_callbacks, job, validate="on")
    assert response.status_code == 404
    job.refresh_from_db()
    assert (job.status, job.confirmed_at) == ("checked", None)
    assert imported(rows[1]) == 0
    assert len(held_files(private_media)) == 1


def test_uploads_never_confirmed_are_purged_once_their_check_expired(
    client, staff, rows, private_media, settings, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    checked(client, django_capture_on_commit_callbacks, *rows)
    checked(client, django_capture_on_commit_callbacks, *rows)
    old, recent = held_files(private_media)
    expired = time.time() - settings.REPORT_IMPORT_PREVIEW_MAX_AGE - 60
    os.utime(old, (expired, expired))

    assert purge_unconfirmed_imports() == 1
    assert held_files(private_media) == [recent]
