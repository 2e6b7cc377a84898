"""The spreadsheet import as a job: hostile files refused at the upload with one line naming
the limit, a confirmed file imported by a Celery job (eager here) with its progress and
counts, all rows or none."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from reporting import services
from reporting.models import ImplementationReport, ImportJob
from states.models import State
from tests.factories import RecommendationFactory, StateFactory
from tests.reporting.files import upload, xlsx_bytes

HEADERS = ["state", "meeting", "recommendation", "status", "as_of", "source"]


def preview(client, content: bytes, name: str = "reports.csv"):
    return client.post(
        reverse("reporting:import"), {"file": upload(name, content), "validate": "on"}
    )


def file_errors(response) -> list[str]:
    return response.context["form"].errors.get("file", [])


def outcome_errors(response) -> list[str]:
    return response.context["outcome"].errors


@pytest.fixture
def signed_in(client, staff):
    client.force_login(staff)
    return staff


@pytest.fixture
def recommendation(db):
    return RecommendationFactory()


def test_a_column_named_twice_is_refused_naming_it(client, signed_in, recommendation):
    state = StateFactory()
    header = "state,meeting,recommendation,status,as_of,source,status"
    line = f"{state.code},{recommendation.meeting.ordinal},{recommendation.label},implemented,"
    line += "2024-01-01,questionnaire,not_implemented"
    response = preview(client, f"{header}\n{line}\n".encode())
    assert outcome_errors(response) == [
        "The file: The column “status” appears more than once; name each column once."
    ]
    assert "confirm_form" not in response.context


def test_a_column_named_twice_in_another_case_is_refused_too(client, signed_in, recommendation):
    response = preview(client, b"state,meeting,recommendation,status,as_of,source,State\n")
    assert outcome_errors(response) == [
        "The file: The column “state” appears more than once; name each column once."
    ]


def test_an_unknown_column_is_refused_naming_it(client, signed_in, recommendation):
    response = preview(client, b"state,meeting,recommendation,status,as_of,source,colour\n")
    assert outcome_errors(response) == ["The file: Unknown columns: colour."]


def test_a_file_over_the_size_limit_is_refused_unread(client, signed_in, settings):
    settings.REPORTING_IMPORT_MAX_UPLOAD_BYTES = 100
    response = preview(client, b"state," * 50)
    assert file_errors(response) == [
        "“reports.csv”: the file is 300 bytes; the limit is 100 bytes."
    ]


def test_a_file_over_the_row_limit_is_refused(client, signed_in, settings):
    settings.REPORTING_IMPORT_MAX_ROWS = 5
    rows = "\n".join(["AUT,7,1,implemented,2024-01-01,questionnaire"] * 6)
    response = preview(client, f"{','.join(HEADERS)}\n{rows}\n".encode())
    assert file_errors(response) == ["“reports.csv”: the file holds 6 rows; the limit is 5."]


def xlsx_bomb(*, inflated: int) -> bytes:
    """A valid workbook with one more part: `inflated` bytes of zeros, compressed ~1000:1."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADERS]))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/padding.xml", b"0" * inflated)
    return buffer.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(client, signed_in, settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 4 * 1024 * 1024
    response = preview(client, xlsx_bomb(inflated=8 * 1024 * 1024), "bomb.xlsx")
    [error] = file_errors(response)
    assert error.startswith("“bomb.xlsx”: the file unpacks to 8.")
    assert error.endswith("the limit is 4.0 MB")


def test_an_xlsx_part_compressed_like_a_bomb_is_refused_by_its_ratio(client, signed_in):
    response = preview(client, xlsx_bomb(inflated=3 * 1024 * 1024), "bomb.xlsx")
    [error] = file_errors(response)
    assert "the part xl/padding.xml is compressed" in error
    assert error.endswith("to 1; the limit is 100 to 1")


def test_a_job_already_claimed_is_not_run_again(staff):
    job = ImportJob.objects.create(created_by=staff, filename="x.csv", status="running")
    assert services.implementation_reports_import_run(job_id=job.pk).status == "running"


def test_a_job_whose_file_is_gone_fails_with_a_message(staff):
    job = ImportJob.objects.create(created_by=staff, filename="x.csv", upload_key="gone")
    job = services.implementation_reports_import_run(job_id=job.pk)
    assert (job.status, job.errors) == (
        "failed",
        ["The uploaded file is no longer held; upload it again."],
    )


def test_only_the_staff_member_who_confirmed_sees_the_job(client, staff, superuser, focal_point):
    job = ImportJob.objects.create(created_by=staff, filename="x.csv")
    url = reverse("reporting:import_job", args=[job.pk])
    client.force_login(superuser)
    assert client.get(url).status_code == 404
    client.force_login(focal_point)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    page = client.get(url)
    assert page.status_code == 200
    assert '<meta http-equiv="refresh"' in page.content.decode()


@pytest.mark.usefixtures("wgsom")
def test_every_state_on_every_recommendation_of_a_meeting_imports_as_one_job(
    client, signed_in, django_capture_on_commit_callbacks, settings
):
    """193 States x 22 recommendations: 4,246 rows, previewed, then imported by the job."""
    settings.REPORTING_IMPORT_PROGRESS_EVERY = 1000
    recommendations = list(
        Recommendation.objects.filter(meeting__ordinal=7, status="adopted").order_by("pk")[:22]
    )
    states = list(State.objects.order_by("pk")[:193])
    assert (len(recommendations), len(states)) == (22, 193)
    rows = [HEADERS] + [
        [state.code, 7, recommendation.label, "implemented", "2024-01-01", "questionnaire"]
        for recommendation in recommendations
        for state in states
    ]
    checked = preview(client, xlsx_bytes(rows), "all.xlsx")
    assert outcome_errors(checked) == []
    assert len(checked.context["outcome"].result.rows) == 4246
    assert not ImplementationReport.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            reverse("reporting:import_confirm"),
            {"token": checked.context["confirm_form"]["token"].value(), "validate": "True"},
        )
    job = ImportJob.objects.get()
    assert confirmed.url == reverse("reporting:import_job", args=[job.pk])
    assert (job.status, job.total_rows, job.processed_rows, job.created_count) == (
        "done",
        4246,
        4246,
        4246,
    )
    assert job.percent == 100
    assert ImplementationReport.objects.filter(review_state="validated").count() == 4246
    page = client.get(confirmed.url).content.decode()
    assert "4246 reports imported from all.xlsx." in page
    assert '<meta http-equiv="refresh"' not in page


@pytest.mark.usefixtures("wgsom")
def test_a_bad_row_fails_the_whole_job_and_writes_nothing(staff, settings, private_media):
    settings.REPORTING_IMPORT_PROGRESS_EVERY = 2
    recommendation = Recommendation.objects.filter(meeting__ordinal=7, status="adopted").first()
    codes = list(State.objects.order_by("pk").values_list("code", flat=True)[:5])
    lines = [",".join(HEADERS)] + [
        f"{code},7,{recommendation.label},implemented,2024-01-01,questionnaire" for code in codes
    ]
    lines.append(f"Atlantis,7,{recommendation.label},implemented,2024-01-01,questionnaire")
    content = ("\n".join(lines) + "\n").encode()
    from core.uploads import hold_upload

    token = hold_upload(content=content, filename="r.csv", owner_id=staff.pk, salt="x")
    key = __import__("django.core.signing", fromlist=["loads"]).loads(token, salt="x")["key"]
    job = ImportJob.objects.create(created_by=staff, filename="r.csv", upload_key=key)
    job = services.implementation_reports_import_run(job_id=job.pk)
    # The bad row is in the third batch of two: its line counts the rows of the batches before.
    assert (job.status, job.created_count, job.errors) == (
        "failed",
        0,
        ["Line 7, column “state”: No State is called or coded “Atlantis”."],
    )
    assert not ImplementationReport.objects.exists()
    assert not list(private_media.rglob("*.upload"))
