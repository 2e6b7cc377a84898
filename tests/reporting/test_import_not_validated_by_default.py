"""Publishing is never the default: the spreadsheet import's "record as validated" box, on the
confirmation of a checked file, starts unticked, and an import job records drafts unless told
otherwise."""

from __future__ import annotations

import re

from django.urls import reverse

from reporting.forms import ImportConfirmForm, ImportForm
from reporting.models import ImportJob


def test_the_validated_box_is_not_ticked_when_the_confirmation_opens(
    secretariat_client, secretariat
):
    job = ImportJob.objects.create(
        created_by=secretariat, filename="r.csv", status="checked", total_rows=1
    )
    page = secretariat_client.get(reverse("reporting:import_job", args=[job.pk])).content.decode()

    (checkbox,) = re.findall(r'<input[^>]*name="validate"[^>]*>', page)
    assert 'type="checkbox"' in checkbox
    assert "checked" not in checkbox


def test_the_upload_asks_nothing_about_publishing():
    assert "validate" not in ImportForm().fields


def test_the_form_and_the_job_default_to_not_validated():
    assert not ImportConfirmForm().fields["validate"].initial
    assert ImportJob._meta.get_field("validate").default is False
