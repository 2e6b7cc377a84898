"""The staff page that imports a meeting report: upload, preview, confirm."""

from __future__ import annotations

import re

import factory
import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingest.forms import preview_token
from ingest.report_parser import parse_report_text
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import StateAlias
from tests.factories import RecommendationFactory, SuperuserFactory, UserFactory

from .documents import LAYOUT_2020, REPORT_2020, source_paragraphs, tenth_meeting_text, to_docx

pytestmark = pytest.mark.usefixtures("wgsom")

UPLOAD = reverse("report_import:upload")
CONFIRM = reverse("report_import:confirm")


@pytest.fixture
def signed_in_staff(client, staff):
    """`client` signed in as the Secretariat member."""
    client.force_login(staff)
    return staff


def upload(client, content: bytes, name: str = "report.txt", **data):
    return client.post(UPLOAD, {"report": SimpleUploadedFile(name, content), **data})


def token_in(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signed_in_users_who_are_not_staff_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(UPLOAD).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


def test_staff_see_the_upload_form(client, signed_in_staff):
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_uploading_shows_a_preview_and_writes_nothing(client, signed_in_staff):
    response = upload(client, tenth_meeting_text().encode(), name="tenth.txt")

    assert response.status_code == 200
    assert not Meeting.objects.filter(ordinal=10).exists()
    page = response.content.decode()
    assert "10th meeting (2031)" in page
    assert "In the context of a pandemic" in page
    assert "Near-duplicate:" in page
    assert 'name="token"' in page


def test_confirming_imports_exactly_what_was_previewed(client, signed_in_staff):
    preview = upload(client, tenth_meeting_text().encode(), name="tenth.txt")

    response = client.post(CONFIRM, {"token": token_in(preview)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("report_import:done", args=[10])
    assert Recommendation.objects.filter(meeting__ordinal=10).count() == 22
    page = response.content.decode()
    assert "Report imported: 152 records created" in page
    assert "In the context of a pandemic" in page


def test_a_word_file_can_be_uploaded(client, signed_in_staff):
    content = to_docx(source_paragraphs(REPORT_2020), LAYOUT_2020, per_page=10)
    response = upload(client, content, name="report.docx")
    assert response.status_code == 200
    assert "Everything in this report is already on record" in response.content.decode()


def test_a_file_that_cannot_be_read_is_refused_on_the_form_with_the_reason(client, signed_in_staff):
    response = upload(client, b"not a pdf", name="report.pdf")
    assert response.status_code == 400
    assert "This file cannot be imported" in response.content.decode()
    assert "not a PDF" in response.content.decode()


def test_a_file_of_another_kind_is_refused(client, signed_in_staff):
    response = upload(client, b"whatever", name="report.odt")
    assert response.status_code == 400
    assert "Upload a .docx, .pdf or .txt file." in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(client, signed_in_staff, settings):
    settings.REPORT_IMPORT_MAX_UPLOAD_BYTES = 100
    response = upload(client, tenth_meeting_text().encode())
    assert response.status_code == 400
    assert "the largest accepted is" in response.content.decode()


def test_a_report_the_import_refuses_is_shown_on_the_form(client, signed_in_staff):
    text = tenth_meeting_text().replace("Group of African States", "Group of Atlantean States")
    response = upload(client, text.encode())
    assert response.status_code == 400
    assert "unknown regional group" in response.content.decode()
    assert not Meeting.objects.filter(ordinal=10).exists()


# --- names the records do not know ---------------------------------------------------------

ATLANTIS = tenth_meeting_text().replace("Afghanistan,", "Atlantis,")


def test_an_unknown_name_is_listed_with_a_choice_and_the_recommendations_still_shown(
    client, signed_in_staff
):
    response = upload(client, ATLANTIS.encode(), name="tenth.txt")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Names to resolve" in page
    assert '<label for="id_name_0">Atlantis</label>' in page
    assert '<option value="organization">' in page and '<option value="AFG">' in page
    assert "In the context of a pandemic" in page
    assert "22 recommendations" in page
    assert not Meeting.objects.filter(ordinal=10).exists()


def test_confirming_without_resolving_a_name_shows_the_preview_with_the_error(
    client, signed_in_staff
):
    preview = upload(client, ATLANTIS.encode(), name="tenth.txt")

    response = client.post(CONFIRM, {"token": token_in(preview)})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_name_0">Say what Atlantis is.</a>' in page
    assert "In the context of a pandemic" in page
    assert not Meeting.objects.filter(ordinal=10).exists()
    assert not StateAlias.objects.exists()


def test_confirming_with_a_choice_stores_the_alias_and_imports(client, signed_in_staff):
    preview = upload(client, ATLANTIS.encode(), name="tenth.txt")

    response = client.post(CONFIRM, {"token": token_in(preview), "name_0": "AFG"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("report_import:done", args=[10])
    alias = StateAlias.objects.get()
    assert (alias.name, alias.state.code, alias.created_by) == ("Atlantis", "AFG", signed_in_staff)
    meeting = Meeting.objects.get(ordinal=10)
    assert meeting.participations.filter(state__code="AFG").exists()
    assert Recommendation.objects.filter(meeting=meeting).count() == 22


def test_a_second_report_with_the_same_name_asks_nothing(client, signed_in_staff):
    preview = upload(client, ATLANTIS.encode(), name="tenth.txt")
    client.post(CONFIRM, {"token": token_in(preview), "name_0": "skip"})

    again = upload(client, ATLANTIS.replace("Atlantis,", "ATLANTIS,").encode(), name="tenth.txt")

    assert again.status_code == 200
    assert "Names to resolve" not in again.content.decode()
    response = client.post(CONFIRM, {"token": token_in(again)})
    assert response.status_code == 302
    assert StateAlias.objects.get().kind == StateAlias.Kind.SKIP


def test_an_altered_token_is_refused_and_nothing_is_written(client, signed_in_staff):
    preview = upload(client, tenth_meeting_text().encode())
    response = client.post(CONFIRM, {"token": token_in(preview)[:-3] + "abc"})
    assert response.status_code == 400
    assert "The preview is not valid" in response.content.decode()
    assert not Meeting.objects.filter(ordinal=10).exists()


def test_another_staff_members_token_is_refused(client, signed_in_staff):
    token = preview_token(
        user=SuperuserFactory(),
        report=parse_report_text(tenth_meeting_text()),
        meeting=None,
        update=False,
    )
    assert client.post(CONFIRM, {"token": token}).status_code == 400


def test_an_expired_preview_must_be_uploaded_again(client, signed_in_staff, settings):
    token = preview_token(
        user=signed_in_staff,
        report=parse_report_text(tenth_meeting_text()),
        meeting=None,
        update=False,
    )
    settings.REPORT_IMPORT_PREVIEW_MAX_AGE = -1
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 400
    assert "The preview has expired" in response.content.decode()


def test_the_token_carries_the_choices_made_at_upload(client, signed_in_staff):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, status="adopted", label="3")
    recommendation.strength = Recommendation.Strength.ENCOURAGED
    recommendation.save()
    preview = upload(client, REPORT_2020.read_bytes(), update="on")
    payload = signing.loads(token_in(preview), salt=f"meetings.report_import:{signed_in_staff.pk}")
    assert payload["update"] is True

    client.post(CONFIRM, {"token": token_in(preview)})

    recommendation.refresh_from_db()
    assert recommendation.strength == Recommendation.Strength.SHOULD


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
