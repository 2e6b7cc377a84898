"""The spreadsheet import as two jobs: hostile files and wrong columns refused at the upload
with one line naming the limit or the column; the upload request only holds the file and queues
its check, a dry run done by a Celery job (eager here) whose page previews the file or lists its
errors; a confirmed file imported by a second job on the same row, all rows or none."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core.uploads import hold_upload
from recommendations.models import Recommendation
from reporting import services
from reporting.models import ImplementationReport, ImportJob
from states.models import State
from tests.factories import RecommendationFactory, StateFactory
from tests.reporting.files import upload, xlsx_bytes

HEADERS = ["state", "meeting", "recommendation", "status", "as_of", "source"]


def preview(client, content: bytes, name: str = "reports.csv"):
    """The upload request alone: whatever it queues is not run."""
    return client.post(reverse("reporting:import"), {"file": upload(name, content)})


def file_errors(response) -> list[str]:
    return response.context["form"].errors.get("file", [])


def held_job(staff, content: bytes, *, status: str = "check_queued", name: str = "r.csv"):
    """A job holding `content`, as the upload leaves it."""
    token = hold_upload(content=content, filename=name, owner_id=staff.pk, salt="x")
    key = signing.loads(token, salt="x")["key"]
    return ImportJob.objects.create(created_by=staff, filename=name, upload_key=key, status=status)


def csv_rows(recommendation, codes) -> bytes:
    lines = [",".join(HEADERS)] + [
        f"{code},{recommendation.meeting.ordinal},{recommendation.label},implemented,"
        "2024-01-01,questionnaire"
        for code in codes
    ]
    return ("\n".join(lines) + "\n").encode()


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
    assert file_errors(response) == [
        "“reports.csv”: The column “status” appears more than once; name each column once."
    ]
    assert not ImportJob.objects.exists()


def test_a_column_named_twice_in_another_case_is_refused_too(client, signed_in, recommendation):
    response = preview(client, b"state,meeting,recommendation,status,as_of,source,State\n")
    assert file_errors(response) == [
        "“reports.csv”: The column “state” appears more than once; name each column once."
    ]


def test_an_unknown_column_is_refused_naming_it(client, signed_in, recommendation):
    response = preview(client, b"state,meeting,recommendation,status,as_of,source,colour\n")
    assert file_errors(response) == ["“reports.csv”: Unknown columns: colour."]


def test_a_file_over_the_size_limit_is_refused_unread(client, signed_in, settings):
    settings.REPORTING_IMPORT_MAX_UPLOAD_BYTES = 100
    response = preview(client, b"state," * 50)
    assert file_errors(response) == [
        "“reports.csv”: the file is 300 bytes; the limit is 100 bytes."
    ]


def test_a_file_over_the_row_limit_is_refused(client, signed_in, settings):
    settings.REPORTING_IMPORT_MAX_ROWS = 5
    rows = "\n".join(["AUT,7,1,implemented,2024-01-01,questionnaire"] * 9)
    response = preview(client, f"{','.join(HEADERS)}\n{rows}\n".encode())
    # A CSV is counted line by line, no further than one past the limit.
    assert file_errors(response) == [
        "“reports.csv”: the file holds more than 5 rows; the limit is 5."
    ]


def with_dimension(content: bytes, ref: str | None) -> bytes:
    """The workbook `content` with its sheet's declared size (<dimension ref="A1:F7">) set to
    `ref`, or removed, as some writers leave it."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                new = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
                data, found = re.subn(rb"<dimension [^>]*/>", new, data)
                assert found == 1
            target.writestr(item, data)
    return buffer.getvalue()


def report_rows(count: int) -> list[list]:
    return [HEADERS] + [["AUT", 7, "1", "implemented", "2024-01-01", "questionnaire"]] * count


@pytest.fixture
def rows_read(monkeypatch) -> list[int]:
    """The rows openpyxl hands over from a read-only sheet, header included: one 1 each."""
    read: list[int] = []
    cells_by_row = ReadOnlyWorksheet._cells_by_row

    def counted(*args, **kwargs):
        for row in cells_by_row(*args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted)
    return read


def test_a_workbook_declaring_more_rows_than_the_limit_is_refused_without_reading_them(
    client, signed_in, rows_read
):
    content = with_dimension(xlsx_bytes(report_rows(3)), "A1:F25001")
    response = preview(client, content, "big.xlsx")
    assert file_errors(response) == ["“big.xlsx”: the file holds 25,000 rows; the limit is 20,000."]
    assert len(rows_read) == 1  # the first line, for the columns
    assert not ImportJob.objects.exists()


def test_a_workbook_within_the_limit_is_counted_from_its_dimension(
    client, signed_in, rows_read, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # the check job is not run
        preview(client, xlsx_bytes(report_rows(40)), "r.xlsx")
    assert ImportJob.objects.get().total_rows == 40
    assert len(rows_read) == 1


@pytest.mark.parametrize("dimension", [None, "A1"], ids=["missing", "A1"])
def test_a_workbook_without_a_dimension_is_counted_row_by_row_and_refused_past_the_limit(
    client, signed_in, settings, rows_read, dimension
):
    settings.REPORTING_IMPORT_MAX_ROWS = 5
    content = with_dimension(xlsx_bytes(report_rows(40)), dimension)
    response = preview(client, content, "r.xlsx")
    assert file_errors(response) == ["“r.xlsx”: the file holds more than 5 rows; the limit is 5."]
    assert len(rows_read) == 1 + 6  # the first line, then no further than one past the limit


def test_a_workbook_without_a_dimension_within_the_limit_is_counted_row_by_row(
    client, signed_in, settings, django_capture_on_commit_callbacks
):
    settings.REPORTING_IMPORT_MAX_ROWS = 5
    with django_capture_on_commit_callbacks():
        preview(client, with_dimension(xlsx_bytes(report_rows(5)), None), "r.xlsx")
    assert ImportJob.objects.get().total_rows == 5


def test_a_workbook_understating_its_rows_past_the_limit_is_refused_by_the_check_job(
    client, signed_in, settings, private_media, django_capture_on_commit_callbacks
):
    settings.REPORTING_IMPORT_MAX_ROWS = 5
    content = with_dimension(xlsx_bytes(report_rows(40)), "A1:F3")
    with django_capture_on_commit_callbacks(execute=True):
        preview(client, content, "lying.xlsx")
    job = ImportJob.objects.get()
    assert (job.status, job.errors) == (
        "failed",
        ["file: “lying.xlsx”: the file holds more than 5 rows; the limit is 5."],
    )
    assert not list(private_media.rglob("*.upload"))


def test_the_check_job_reads_every_row_of_a_workbook_whatever_its_dimension(staff, recommendation):
    codes = [StateFactory().code for _ in range(4)]
    meeting, label = recommendation.meeting.ordinal, recommendation.label
    rows = [HEADERS] + [
        [code, meeting, label, "implemented", "2024-01-01", "questionnaire"] for code in codes
    ]
    # Declares two rows and two columns: the rest must be checked all the same.
    content = with_dimension(xlsx_bytes(rows), "A1:B3")
    job = held_job(staff, content, name="r.xlsx")
    ImportJob.objects.filter(pk=job.pk).update(total_rows=2)
    job = services.implementation_reports_import_check(job_id=job.pk)
    assert (job.status, job.errors, job.total_rows) == ("checked", [], 4)
    assert job.preview["states"] == 4


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


def test_only_the_staff_member_who_uploaded_sees_the_job(client, staff, superuser, focal_point):
    job = ImportJob.objects.create(created_by=staff, filename="x.csv", status="check_queued")
    url = reverse("reporting:import_job", args=[job.pk])
    client.force_login(superuser)
    assert client.get(url).status_code == 404
    client.force_login(focal_point)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    page = client.get(url)
    assert page.status_code == 200
    # Reloads itself while the check waits or runs: no JavaScript needed.
    assert '<meta http-equiv="refresh"' in page.content.decode()
    assert "The file is waiting to be checked" in page.content.decode()


def test_the_upload_request_only_holds_the_file_and_queues_its_check(
    client, signed_in, recommendation, private_media, django_capture_on_commit_callbacks
):
    codes = [StateFactory().code for _ in range(3)]
    with django_capture_on_commit_callbacks() as callbacks:
        response = preview(client, csv_rows(recommendation, codes))
    job = ImportJob.objects.get()
    assert response.url == reverse("reporting:import_job", args=[job.pk])
    assert (job.status, job.total_rows, job.created_by, job.validate) == (
        "check_queued",
        3,
        signed_in,
        False,
    )
    assert len(list(private_media.rglob("*.upload"))) == 1
    assert not ImplementationReport.objects.exists()

    # The queued task, once the request commits: the check (a dry run) writes no report.
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.error_count) == ("checked", 3, 0)
    assert not ImplementationReport.objects.exists()
    assert len(list(private_media.rglob("*.upload"))) == 1  # kept for the confirmation


def test_the_upload_request_costs_the_same_queries_whatever_the_rows(
    client, signed_in, recommendation
):
    states = [StateFactory().code for _ in range(3)]
    with CaptureQueriesContext(connection) as small:
        preview(client, csv_rows(recommendation, states))
    with CaptureQueriesContext(connection) as large:
        preview(client, csv_rows(recommendation, states * 200))
    assert ImportJob.objects.filter(status="check_queued").count() == 2
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_check_phase_error_is_shown_on_the_job_page_with_a_way_to_upload_again(
    client, signed_in, recommendation, private_media, django_capture_on_commit_callbacks
):
    content = csv_rows(recommendation, [StateFactory().code, "Atlantis"])
    with django_capture_on_commit_callbacks(execute=True):
        response = preview(client, content)
    job = ImportJob.objects.get()
    assert (job.status, job.errors, job.error_count) == (
        "failed",
        ["Line 3, column “state”: No State is called or coded “Atlantis”."],
        1,
    )
    page = client.get(response.url).content.decode()
    assert "No State is called or coded “Atlantis”." in page
    assert f'href="{reverse("reporting:import")}"' in page
    assert "Correct the file and upload it again." in page
    assert '<meta http-equiv="refresh"' not in page
    assert 'name="validate"' not in page  # nothing to confirm
    assert not list(private_media.rglob("*.upload"))


def test_a_check_keeps_the_first_errors_and_says_how_many_more(staff, recommendation, settings):
    settings.REPORTING_IMPORT_PROGRESS_EVERY = 100
    job = held_job(staff, csv_rows(recommendation, [f"Atlantis{n}" for n in range(250)]))
    job = services.implementation_reports_import_check(job_id=job.pk)
    assert (job.status, len(job.errors), job.error_count) == ("failed", 200, 250)
    assert job.errors[0] == "Line 2, column “state”: No State is called or coded “Atlantis0”."
    assert job.errors_not_shown == 50


def test_a_check_keeps_a_bounded_sample_of_the_rows(staff, recommendation):
    codes = [StateFactory().code for _ in range(60)]
    job = services.implementation_reports_import_check(
        job_id=held_job(staff, csv_rows(recommendation, codes)).pk
    )
    assert (job.status, job.total_rows, len(job.preview["rows"])) == ("checked", 60, 50)
    assert job.preview["statuses"] == {"implemented": 60}
    assert (job.preview["states"], job.preview["recommendations"]) == (60, 1)


def test_a_check_already_claimed_is_not_run_again(staff):
    job = ImportJob.objects.create(created_by=staff, filename="x.csv", status="checking")
    assert services.implementation_reports_import_check(job_id=job.pk).status == "checking"


def test_a_check_whose_file_is_gone_fails_with_a_message(staff):
    job = ImportJob.objects.create(
        created_by=staff, filename="x.csv", upload_key="gone", status="check_queued"
    )
    job = services.implementation_reports_import_check(job_id=job.pk)
    assert (job.status, job.errors) == (
        "failed",
        ["The uploaded file is no longer held; upload it again."],
    )


def test_a_checked_file_confirmed_twice_queues_one_import(
    client, signed_in, recommendation, monkeypatch, django_capture_on_commit_callbacks
):
    job = services.implementation_reports_import_check(
        job_id=held_job(signed_in, csv_rows(recommendation, [StateFactory().code])).pk
    )
    queued: list[tuple] = []
    monkeypatch.setattr(
        "core.tasks.enqueue", lambda name, *args, **kwargs: queued.append((name, *args))
    )
    url = reverse("reporting:import_confirm", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"validate": "on"})
        second = client.post(url, {"validate": "on"})
    assert first.url == second.url == reverse("reporting:import_job", args=[job.pk])
    assert queued == [("reporting.tasks.run_report_import", job.pk)]
    job.refresh_from_db()
    assert (job.status, job.validate) == ("queued", True)


def test_an_expired_check_is_refused_and_says_so(
    client, signed_in, recommendation, settings, django_capture_on_commit_callbacks
):
    job = services.implementation_reports_import_check(
        job_id=held_job(signed_in, csv_rows(recommendation, [StateFactory().code])).pk
    )
    old = datetime.timedelta(seconds=settings.REPORT_IMPORT_PREVIEW_MAX_AGE + 60)
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - old)
    page = client.get(reverse("reporting:import_job", args=[job.pk]))
    assert page.context["confirm_form"] is None
    assert "This check has expired" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:import_confirm", args=[job.pk]))
    assert response.url == reverse("reporting:import")
    job.refresh_from_db()
    assert (job.status, job.confirmed_at) == ("checked", None)
    assert not ImplementationReport.objects.exists()


def test_another_staff_members_job_cannot_be_confirmed(client, staff, superuser, recommendation):
    job = services.implementation_reports_import_check(
        job_id=held_job(staff, csv_rows(recommendation, [StateFactory().code])).pk
    )
    client.force_login(superuser)
    assert client.post(reverse("reporting:import_confirm", args=[job.pk])).status_code == 404
    with pytest.raises(ImportJob.DoesNotExist):
        services.implementation_reports_import_queue(by=superuser, job_id=job.pk, validate=True)
    job.refresh_from_db()
    assert job.status == "checked"


def test_the_record_as_validated_box_on_the_confirmation_is_never_ticked(
    client, signed_in, recommendation
):
    job = services.implementation_reports_import_check(
        job_id=held_job(signed_in, csv_rows(recommendation, [StateFactory().code])).pk
    )
    page = client.get(reverse("reporting:import_job", args=[job.pk])).content.decode()
    assert 'name="validate"' in page
    assert "checked" not in page.split('name="validate"')[1].split(">")[0]
    assert "Import 1 report" in page


@pytest.mark.usefixtures("wgsom")
def test_every_state_on_every_recommendation_of_a_meeting_is_checked_then_imported_by_jobs(
    client,
    signed_in,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    settings,
    monkeypatch,
):
    """193 States x 22 recommendations: 4,246 rows. The upload request only holds the file
    and queues its check; the check job previews it; the confirmed import job writes it, and
    its validations refresh the compliance snapshot once, not once per report."""
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
    # Session and user, the job's INSERT inside its savepoint: no row is read or written.
    with django_assert_max_num_queries(8), django_capture_on_commit_callbacks() as queued:
        uploaded = preview(client, xlsx_bytes(rows), "all.xlsx")
    job = ImportJob.objects.get()
    assert uploaded.url == reverse("reporting:import_job", args=[job.pk])
    assert (job.status, job.total_rows) == ("check_queued", 4246)

    for callback in queued:  # the check job, as a worker would run it
        callback()
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.error_count) == ("checked", 4246, 0)
    assert (job.preview["states"], job.preview["recommendations"]) == (193, 22)
    assert job.preview["statuses"] == {"implemented": 4246}
    assert len(job.preview["rows"]) == ImportJob.KEPT_ROWS
    assert not ImplementationReport.objects.exists()
    page = client.get(uploaded.url).content.decode()
    assert "Import 4246 reports" in page
    assert '<meta http-equiv="refresh"' not in page

    refreshes: list[int] = []
    monkeypatch.setattr("compliance.refresh._queue_snapshot_refresh", lambda: refreshes.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            reverse("reporting:import_confirm", args=[job.pk]), {"validate": "on"}
        )
    assert confirmed.url == uploaded.url
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows, job.created_count) == (
        "done",
        4246,
        4246,
        4246,
    )
    assert job.percent == 100
    assert ImplementationReport.objects.filter(review_state="validated").count() == 4246
    assert refreshes == [1]
    page = client.get(confirmed.url).content.decode()
    assert "4246 reports imported from all.xlsx." in page
    assert '<meta http-equiv="refresh"' not in page


@pytest.mark.usefixtures("wgsom")
def test_a_bad_row_fails_the_whole_job_and_writes_nothing(staff, settings, private_media):
    settings.REPORTING_IMPORT_PROGRESS_EVERY = 2
    recommendation = Recommendation.objects.filter(meeting__ordinal=7, status="adopted").first()
    codes = list(State.objects.order_by("pk").values_list("code", flat=True)[:5])
    job = held_job(staff, csv_rows(recommendation, [*codes, "Atlantis"]), status="queued")
    job = services.implementation_reports_import_run(job_id=job.pk)
    # The bad row is in the third batch of two: its line counts the rows of the batches before.
    assert (job.status, job.created_count, job.errors) == (
        "failed",
        0,
        ["Line 7, column “state”: No State is called or coded “Atlantis”."],
    )
    assert not ImplementationReport.objects.exists()
    assert not list(private_media.rglob("*.upload"))
