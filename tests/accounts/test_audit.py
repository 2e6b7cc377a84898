"""The audit log: each security event is recorded once, by `audit_record`, and only
superusers read it (in the admin, read-only)."""

from __future__ import annotations

import tablib
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import ApiToken, AuditAction, AuditEvent
from ingest.report_parser import parse_report_file
from ingest.services import report_import
from reporting import services as reporting_services
from states import contact_point_services
from tests.factories import ContactPointFactory, RecommendationFactory, StateFactory
from tests.ingest.documents import REPORT_2020
from tests.reporting.files import pdf_bytes, upload


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_sign_in_is_recorded_with_the_account_and_address(client, secretariat):
    client.post(reverse("login"), {"username": "staff", "password": "a-long-test-password"})
    (event,) = events(AuditAction.SIGN_IN)
    assert (event.actor, event.actor_name, event.ip) == (secretariat, "staff", "127.0.0.1")


def test_a_failed_sign_in_is_recorded_with_the_name_tried_and_never_the_password(client, db):
    client.post(reverse("login"), {"username": "nobody", "password": "guess-123"})
    (event,) = events(AuditAction.SIGN_IN_FAILED)
    assert (event.actor, event.actor_name, event.target) == (None, "nobody", "nobody")
    assert "guess-123" not in str(event.details)


def test_joining_and_leaving_the_secretariat_is_recorded_from_either_side(reader):
    group = Group.objects.get(name=settings.SECRETARIAT_GROUP_NAME)
    reader.groups.add(group)
    group.user_set.remove(reader)
    reader.groups.add(Group.objects.create(name="Unrelated"))
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == [
        AuditAction.ROLE_GRANTED,
        AuditAction.ROLE_REVOKED,
    ]
    assert {e.target for e in AuditEvent.objects.all()} == {reader.username}


def test_a_role_given_in_the_admin_names_who_gave_it(superuser_client, reader):
    group = Group.objects.get(name=settings.SECRETARIAT_GROUP_NAME)
    url = reverse("admin:accounts_user_change", args=[reader.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        groups=[group.pk],
        user_permissions=[],
        date_joined_0="2024-01-01",
        date_joined_1="00:00:00",
        last_login_0="",
        last_login_1="",
        state="",
    )
    superuser_client.post(url, data)
    (event,) = events(AuditAction.ROLE_GRANTED)
    assert event.actor_name == "superuser"


def test_creating_and_revoking_an_api_token_is_recorded_without_the_key(client, reader):
    client.force_login(reader)
    client.post(reverse("api_token_create"), {"name": "Script"})
    client.post(reverse("api_token_revoke"), {"token": ApiToken.objects.get().pk})
    created, revoked = events(AuditAction.TOKEN_CREATED) + events(AuditAction.TOKEN_REVOKED)
    assert (created.actor, revoked.actor) == (reader, reader)
    assert created.ip == "127.0.0.1"
    assert set(created.details) == {"token", "name"}  # the key's first characters only


def test_contact_point_edits_are_recorded_with_the_fields_not_the_values(focal_point, state):
    entry = contact_point_services.contact_point_create(
        by=focal_point, state=state, kind="contact_point", authority="Coast guard"
    )
    contact_point_services.contact_point_update(
        contact_point=entry, by=focal_point, email="desk@coast.example"
    )
    contact_point_services.contact_point_delete(contact_point=entry, by=focal_point)
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == [
        AuditAction.CONTACT_POINT_CREATED,
        AuditAction.CONTACT_POINT_UPDATED,
        AuditAction.CONTACT_POINT_DELETED,
    ]
    updated = events(AuditAction.CONTACT_POINT_UPDATED)[0]
    assert updated.details == {"state_id": state.pk, "fields": ["email"]}
    assert "desk@coast.example" not in str(updated.details)


def test_an_unchanged_contact_point_save_records_nothing(focal_point, state):
    entry = ContactPointFactory(state=state)
    contact_point_services.contact_point_update(
        contact_point=entry, by=focal_point, authority=entry.authority
    )
    assert not AuditEvent.objects.exists()


def test_a_meeting_report_import_is_recorded(wgsom, staff):
    report_import(report=parse_report_file(REPORT_2020), by=staff)
    (event,) = events(AuditAction.MEETING_REPORT_IMPORTED)
    assert event.actor == staff
    assert event.details["meeting_ordinal"] == 7


def test_a_spreadsheet_import_is_recorded_but_not_a_dry_run(staff, db):
    recommendation = RecommendationFactory()
    state = StateFactory()
    dataset = tablib.Dataset(
        headers=["state", "meeting", "recommendation", "status", "as_of", "source"]
    )
    dataset.append(
        [
            state.code,
            recommendation.meeting.ordinal,
            recommendation.label,
            "implemented",
            "2024-01-10",
            "questionnaire",
        ]
    )
    reporting_services.implementation_reports_import(by=staff, dataset=dataset, dry_run=True)
    assert not events(AuditAction.SPREADSHEET_IMPORTED)
    reporting_services.implementation_reports_import(by=staff, dataset=dataset, dry_run=False)
    (event,) = events(AuditAction.SPREADSHEET_IMPORTED)
    assert (event.actor, event.details["created"]) == (staff, 1)


def test_downloading_an_attachment_is_recorded(client, settings, tmp_path, focal_point, state):
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path
    report = reporting_services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=RecommendationFactory(),
        status="implemented",
        as_of="2024-01-01",
        attachments=[upload("plan.pdf", pdf_bytes(), "application/pdf")],
    )
    attachment = report.attachments.get()
    client.force_login(focal_point)
    response = client.get(reverse("reporting:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    (event,) = events(AuditAction.PRIVATE_FILE_DOWNLOADED)
    assert (event.actor, event.target) == (focal_point, f"attachment {attachment.pk}")
    assert event.details == {"report_id": report.pk, "name": "plan.pdf"}


def test_a_refused_download_records_nothing(
    client, settings, tmp_path, focal_point, state, other_focal_point
):
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path
    report = reporting_services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=RecommendationFactory(),
        status="implemented",
        as_of="2024-01-01",
        attachments=[upload("plan.pdf", pdf_bytes(), "application/pdf")],
    )
    client.force_login(other_focal_point)
    client.get(reverse("reporting:attachment", args=[report.attachments.get().pk]))
    assert not events(AuditAction.PRIVATE_FILE_DOWNLOADED)


def test_only_superusers_read_the_audit_log_and_nobody_changes_it(
    superuser_client, secretariat_client, reader
):
    from accounts.services import audit_record

    event = audit_record(action=AuditAction.TOKEN_CREATED, actor=reader, target="x")
    changelist = reverse("admin:accounts_auditevent_changelist")
    assert superuser_client.get(changelist + "?action=token-created").status_code == 200
    assert secretariat_client.get(changelist).status_code == 403
    change = reverse("admin:accounts_auditevent_change", args=[event.pk])
    page = superuser_client.get(change)
    assert page.status_code == 200
    assert superuser_client.post(change, {"target": "y"}).status_code == 403
    delete = reverse("admin:accounts_auditevent_delete", args=[event.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.target == "x"


def test_downloading_a_secretariat_report_is_recorded(
    wgsom, secretariat_client, secretariat, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from compliance.models import SecretariatReport
    from compliance.services import compliance_snapshot_compute
    from meetings.models import Meeting

    settings.REPORT_ATTACHMENTS_ROOT = tmp_path
    document = SecretariatReport.objects.create(
        snapshot=compliance_snapshot_compute(force=True).snapshot,
        meeting=Meeting.objects.get(ordinal=8),
        language="en",
        status=SecretariatReport.Status.DONE,
    )
    document.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 test"))
    response = secretariat_client.get(
        reverse("compliance:report_download", args=[document.pk, "pdf"])
    )
    assert response.status_code == 200
    (event,) = events(AuditAction.PRIVATE_FILE_DOWNLOADED)
    assert (event.actor, event.target) == (secretariat, f"Secretariat report {document.pk}")
    assert event.details["format"] == "pdf"
