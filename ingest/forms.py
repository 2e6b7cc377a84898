"""Forms of the staff report import: uploading a meeting report and confirming its import,
with what each name the records do not know stands for.

Uploading checks only what costs nothing (the file's size and kind): reading the report is
the import job's work (ingest.import_jobs).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from recommendations.models import RecommendationText
from states.models import StateAlias
from states.selectors import state_choices

from .report_parser import SUPPORTED_EXTENSIONS


class ReportUploadForm(forms.Form):
    # Before the file: the file is read in its language.
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=[("en", _("English")), *RecommendationText.Language.choices],
        initial="en",
        # Left out, as by a script written before the field: English.
        required=False,
        help_text=_(
            "A report in another language gives the official texts of the recommendations of "
            "its meeting already on record, matched by their numbers; import the English "
            "report first."
        ),
    )
    report = forms.FileField(
        label=_("Report file"),
        help_text=_(
            "The report of a meeting of the Working Group as a Word (.docx), PDF or text file, "
            "in the United Nations layout."
        ),
    )
    meeting = forms.IntegerField(
        label=_("Meeting number"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_(
            "Only when the report does not say which meeting it reports on and no meeting on "
            "record has its dates (7 for the seventh meeting)."
        ),
    )
    update = forms.BooleanField(
        label=_("Also overwrite records the Secretariat has edited since they were loaded"),
        required=False,
    )

    def clean_report(self):
        upload = self.cleaned_data["report"]
        limit = settings.REPORT_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the largest accepted is %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        name = upload.name or ""
        if not name.lower().endswith(SUPPORTED_EXTENSIONS):
            raise ValidationError(_("Upload a .docx, .pdf or .txt file."), code="extension")
        return upload


class ReportConfirmForm(forms.Form):
    """Confirms a previewed import, with one required choice for each name the preview could
    not resolve: one of the States, an organization, or skip. The names come from the job's
    stored preview, so that the questions asked are the questions answered."""

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = names
        if not names:
            return
        choices = [
            ("", _("Choose")),
            (
                _("Not a State"),
                [
                    (StateAlias.Kind.ORGANIZATION.value, _("An organization")),
                    (StateAlias.Kind.SKIP.value, _("Skip: leave this name out")),
                ],
            ),
            (_("States"), state_choices()),
        ]
        for index, name in enumerate(names):
            self.fields[f"name_{index}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                help_text=_(
                    "The State this name stands for, an organization (an observer), or skip to "
                    "leave it out. Later imports remember the choice."
                ),
                error_messages={"required": _("Say what %(name)s is.") % {"name": name}},
            )

    def name_fields(self) -> list[forms.BoundField]:
        return [self[f"name_{index}"] for index in range(len(self.names))]

    def aliases(self) -> dict[str, str]:
        """The choices made: each name -> a State's code, "organization" or "skip"."""
        return {name: self.cleaned_data[f"name_{index}"] for index, name in enumerate(self.names)}
