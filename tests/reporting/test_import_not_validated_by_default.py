"""Publishing is never the default: the spreadsheet import's "record as validated" box starts
unticked, and an import job records drafts unless told otherwise."""

from __future__ import annotations

import re

from django.urls import reverse

from reporting.forms import ImportForm
from reporting.models import ImportJob


def test_the_validated_box_is_not_ticked_when_the_form_opens(secretariat_client):
    page = secretariat_client.get(reverse("reporting:import")).content.decode()

    (checkbox,) = re.findall(r'<input[^>]*name="validate"[^>]*>', page)
    assert 'type="checkbox"' in checkbox
    assert "checked" not in checkbox


def test_the_form_and_the_job_default_to_not_validated():
    assert not ImportForm().fields["validate"].initial
    assert ImportJob._meta.get_field("validate").default is False
