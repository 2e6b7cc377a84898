"""The staff pages that import a meeting report: upload, the job's page (progress, preview,
confirm, result), and the meeting as imported. Celery runs in-process here: a job queued by a
request runs when the request's transaction commits."""

from __future__ import annotations

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from ingest.models import ReportImportJob
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import StateAlias
from tests.factories import RecommendationFactory, SecretariatUserFactory, UserFactory

from .documents import LAYOUT_2020, REPORT_2020, source_paragraphs, tenth_meeting_text, to_docx

pytestmark = pytest.mark.usefixtures("wgsom")

UPLOAD = reverse("report_import:upload")


@pytest.fixture
def signed_in_staff(client, staff):
    """`client` signed in as the Secretariat member."""
    client.force_login(staff)
    return staff


@pytest.fixture
def uploaded(client, django_capture_on_commit_callbacks):
    """Upload a file and let its check job run; returns the job page as the uploader sees it."""

    def upload_and_check(content: bytes, name: str = "report.txt", **data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(UPLOAD, {"report": SimpleUploadedFile(name, content), **data})
        assert response.status_code == 302, response.content.decode()[:2000]
        return client.get(response.url)

    return upload_and_check


@pytest.fixture
def confirmed(client, django_capture_on_commit_callbacks):
    """Confirm the job of a preview page and let its import job run; returns the job page."""

    def confirm(preview, **data):
        job = preview.context["job"]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("report_import:confirm", args=[job.pk]), data)
        if response.status_code != 302:
            return response
        return client.get(response.url)

    return confirm


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signed_in_users_who_are_not_staff_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(UPLOAD).status_code == 403
    assert client.get(reverse("report_import:job", args=[1])).status_code == 403
    assert client.post(reverse("report_import:confirm", args=[1])).status_code == 403


def test_staff_see_the_upload_form(client, signed_in_staff):
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_uploading_shows_a_preview_and_writes_nothing(signed_in_staff, uploaded):
    response = uploaded(tenth_meeting_text().encode(), name="tenth.txt")

    assert response.status_code == 200
    assert not Meeting.objects.filter(ordinal=10).exists()
    page = response.content.decode()
    assert "<h1>Preview of the meeting report import</h1>" in page
    assert "10th meeting (2031)" in page
    assert "In the context of a pandemic" in page
    assert "Near-duplicate:" in page
    # The preview is final: the page no longer refreshes itself.
    assert 'http-equiv="refresh"' not in page
    assert response.context["job"].status == "checked"


def test_confirming_imports_exactly_what_was_previewed(signed_in_staff, uploaded, confirmed):
    preview = uploaded(tenth_meeting_text().encode(), name="tenth.txt")

    response = confirmed(preview)

    assert Recommendation.objects.filter(meeting__ordinal=10).count() == 22
    page = response.content.decode()
    assert "Report imported: 152 records created" in page
    assert page.count('class="rec-item"') == 22
    assert "In the context of a pandemic" in page
    job = ReportImportJob.objects.get()
    assert (job.status, job.result["meeting_ordinal"], job.upload_token) == ("done", 10, "")


def test_a_word_file_can_be_uploaded(signed_in_staff, uploaded):
    content = to_docx(source_paragraphs(REPORT_2020), LAYOUT_2020, per_page=10)
    response = uploaded(content, name="report.docx")
    assert "Everything in this report is already on record" in response.content.decode()
    # Nothing to confirm: the held file is not kept.
    assert response.context["job"].upload_token == ""


def test_a_file_that_cannot_be_read_is_refused_on_the_job_page_with_the_reason(
    signed_in_staff, uploaded
):
    response = uploaded(b"not a pdf", name="report.pdf")
    page = response.content.decode()
    assert "The meeting report was not imported" in page
    assert "This file cannot be imported" in page
    assert "not a PDF" in page
    assert response.context["job"].upload_token == ""


def test_a_file_of_another_kind_is_refused_on_the_form(client, signed_in_staff):
    response = client.post(UPLOAD, {"report": SimpleUploadedFile("report.odt", b"whatever")})
    assert response.status_code == 400
    assert "Upload a .docx, .pdf or .txt file." in response.content.decode()
    assert not ReportImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused_on_the_form(client, signed_in_staff, settings):
    settings.REPORT_IMPORT_MAX_UPLOAD_BYTES = 100
    response = client.post(
        UPLOAD, {"report": SimpleUploadedFile("report.txt", tenth_meeting_text().encode())}
    )
    assert response.status_code == 400
    assert "the largest accepted is" in response.content.decode()
    assert not ReportImportJob.objects.exists()


def test_a_report_the_import_refuses_is_shown_on_the_job_page(signed_in_staff, uploaded):
    text = tenth_meeting_text().replace("Group of African States", "Group of Atlantean States")
    response = uploaded(text.encode())
    assert "unknown regional group" in response.content.decode()
    assert response.context["job"].status == "failed"
    assert not Meeting.objects.filter(ordinal=10).exists()


# --- the upload request does no parsing -------------------------------------------------------


def test_the_upload_request_only_holds_the_file_and_queues_the_job(
    client, signed_in_staff, monkeypatch, django_assert_num_queries
):
    def no_parsing_in_the_request(*args, **kwargs):
        raise AssertionError("the report was parsed in the request")

    monkeypatch.setattr("ingest.services.parse_report", no_parsing_in_the_request)
    monkeypatch.setattr("ingest.import_jobs.report_read", no_parsing_in_the_request)
    content = tenth_meeting_text().encode()

    # 1 session, 1 user, 1 the user's Secretariat group, then the job: savepoint, insert,
    # release. The file is not read, so the count is the same whatever it holds.
    with django_assert_num_queries(6):
        response = client.post(UPLOAD, {"report": SimpleUploadedFile("tenth.txt", content)})

    job = ReportImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("report_import:job", args=[job.pk])
    assert (job.status, job.filename, job.created_by) == ("queued", "tenth.txt", signed_in_staff)


def test_a_queued_job_page_refreshes_itself_and_says_it_waits(
    client, signed_in_staff, django_assert_num_queries
):
    client.post(UPLOAD, {"report": SimpleUploadedFile("tenth.txt", b"text")})
    job = ReportImportJob.objects.get()

    # 1 session, 1 user, 1 the user's Secretariat group, 1 job
    with django_assert_num_queries(4):
        page = client.get(reverse("report_import:job", args=[job.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "The file is queued to be read." in page


def test_a_working_job_page_names_its_stage(client, signed_in_staff):
    client.post(UPLOAD, {"report": SimpleUploadedFile("tenth.txt", b"text")})
    job = ReportImportJob.objects.get()
    ReportImportJob.objects.filter(pk=job.pk).update(status="checking", stage="comparing")

    page = client.get(reverse("report_import:job", args=[job.pk])).content.decode()

    assert "Step 2 of 3: Comparing it with the records." in page
    assert '<progress max="3" value="2">' in page


# --- only the uploader ------------------------------------------------------------------------


def test_only_the_uploader_sees_and_confirms_the_job(client, signed_in_staff, uploaded):
    preview = uploaded(tenth_meeting_text().encode(), name="tenth.txt")
    job = preview.context["job"]

    client.force_login(SecretariatUserFactory(username="colleague"))

    assert client.get(reverse("report_import:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("report_import:confirm", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "checked"


# --- confirming -------------------------------------------------------------------------------


def test_confirming_twice_imports_once(signed_in_staff, uploaded, confirmed, monkeypatch):
    preview = uploaded(tenth_meeting_text().encode(), name="tenth.txt")
    queued: list[tuple] = []
    real_enqueue = __import__("core.tasks", fromlist=["enqueue"]).enqueue

    def counting(name, *args, **kwargs):
        queued.append((name, *args))
        return real_enqueue(name, *args, **kwargs)

    monkeypatch.setattr("core.tasks.enqueue", counting)

    confirmed(preview)
    again = confirmed(preview)

    job = preview.context["job"]
    # Other apps may queue their own follow-ups (a refresh of the similar recommendations).
    ingest_tasks = [task for task in queued if task[0].startswith("ingest.")]
    assert ingest_tasks == [("ingest.tasks.run_meeting_report_import", job.pk)]
    assert "Report imported: 152 records created" in again.content.decode()
    assert Recommendation.objects.filter(meeting__ordinal=10).count() == 22
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_REPORT_IMPORTED).count() == 1


def test_an_expired_preview_must_be_uploaded_again(signed_in_staff, uploaded, confirmed, settings):
    preview = uploaded(tenth_meeting_text().encode(), name="tenth.txt")
    settings.REPORT_IMPORT_PREVIEW_MAX_AGE = -1

    response = confirmed(preview)

    assert "This preview has expired; upload the file again." in response.content.decode()
    assert not Meeting.objects.filter(ordinal=10).exists()


def test_the_job_carries_the_choices_made_at_upload(signed_in_staff, uploaded, confirmed):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="3")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()
    preview = uploaded(REPORT_2020.read_bytes(), update="on")
    assert preview.context["job"].update is True

    confirmed(preview)

    recommendation.refresh_from_db()
    assert recommendation.strength == Recommendation.Strength.SHOULD


# --- names the records do not know ---------------------------------------------------------

ATLANTIS = tenth_meeting_text().replace("Afghanistan,", "Atlantis,")


def test_an_unknown_name_is_listed_with_a_choice_and_the_recommendations_still_shown(
    signed_in_staff, uploaded
):
    response = uploaded(ATLANTIS.encode(), name="tenth.txt")

    page = response.content.decode()
    assert "Names to resolve" in page
    assert '<label for="id_name_0">Atlantis</label>' in page
    assert '<option value="organization">' in page and '<option value="AFG">' in page
    assert "In the context of a pandemic" in page
    assert "22 recommendations" in page
    assert not Meeting.objects.filter(ordinal=10).exists()


def test_confirming_without_resolving_a_name_shows_the_preview_with_the_error(
    signed_in_staff, uploaded, confirmed
):
    preview = uploaded(ATLANTIS.encode(), name="tenth.txt")

    response = confirmed(preview)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_name_0">Say what Atlantis is.</a>' in page
    assert "In the context of a pandemic" in page
    assert not Meeting.objects.filter(ordinal=10).exists()
    assert not StateAlias.objects.exists()
    assert ReportImportJob.objects.get().status == "checked"


def test_confirming_with_a_choice_stores_the_alias_and_imports(
    signed_in_staff, uploaded, confirmed
):
    preview = uploaded(ATLANTIS.encode(), name="tenth.txt")

    response = confirmed(preview, name_0="AFG")

    assert "Report imported" in response.content.decode()
    alias = StateAlias.objects.get()
    assert (alias.name, alias.state.code, alias.created_by) == ("Atlantis", "AFG", signed_in_staff)
    meeting = Meeting.objects.get(ordinal=10)
    assert meeting.participations.filter(state__code="AFG").exists()
    assert Recommendation.objects.filter(meeting=meeting).count() == 22


def test_a_second_report_with_the_same_name_asks_nothing(signed_in_staff, uploaded, confirmed):
    confirmed(uploaded(ATLANTIS.encode(), name="tenth.txt"), name_0="skip")

    again = uploaded(ATLANTIS.replace("Atlantis,", "ATLANTIS,").encode(), name="tenth.txt")

    assert "Names to resolve" not in again.content.decode()
    assert StateAlias.objects.get().kind == StateAlias.Kind.SKIP


# --- what the pages cost ----------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 30])
def test_the_preview_page_costs_the_same_queries_however_many_near_duplicates(
    client, signed_in_staff, uploaded, django_assert_num_queries, extra
):
    meeting = Meeting.objects.get(ordinal=7)
    RecommendationFactory.create_batch(
        extra, meeting=meeting, label=factory.Sequence(lambda n: f"extra-{n}")
    )
    job = uploaded(tenth_meeting_text().encode(), name="tenth.txt").context["job"]
    url = reverse("report_import:job", args=[job.pk])
    # 1 session, 1 user, 1 the user's Secretariat group, 1 job, 1 near-duplicates with their
    # meetings
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_the_result_page_costs_the_same_queries_however_many_recommendations(
    client, signed_in_staff, django_assert_num_queries, extra
):
    meeting = Meeting.objects.get(ordinal=7)
    RecommendationFactory.create_batch(
        extra, meeting=meeting, label=factory.Sequence(lambda n: f"extra-{n}")
    )
    url = reverse("report_import:done", args=[7])
    # 1 session, 1 user, 1 the user's Secretariat group, 1 meeting, 1 agenda items,
    # 1 recommendations with their agenda items
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="rec-item"') == 22 + extra
