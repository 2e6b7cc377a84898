"""Forms of the staff report import: uploading a meeting report and confirming its import,
with what each name the records do not know stands for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from recommendations.models import RecommendationText
from states.models import StateAlias
from states.selectors import state_choices

from .report_parser import SUPPORTED_EXTENSIONS, ParsedReport, ReportParseError
from .services import report_language_read, report_read


def _salt(user) -> str:
    # Bound to the user: a preview token shown to one staff member cannot be replayed by
    # another (or after that user's account is gone).
    return f"meetings.report_import:{user.pk}"


def preview_token(
    *,
    user,
    report: ParsedReport,
    meeting: int | None,
    update: bool,
    names: list[str] | None = None,
    filename: str = "",
) -> str:
    """The parsed report and the choices made, signed, to carry from preview to confirm.

    Nothing is stored between the two steps: the token holds everything and cannot be altered
    without breaking its signature. `names` are the names the preview could not resolve,
    each of which confirming asks about.
    """
    payload = {
        "report": report.to_dict(),
        "meeting": meeting,
        "update": update,
        "names": names or [],
        "filename": filename,
    }
    return signing.dumps(payload, salt=_salt(user), compress=True)


def _names_in(token: str, user) -> list[str]:
    """The names a token asks about; none for a token that does not verify (clean_token then
    says why)."""
    try:
        payload = signing.loads(
            token, salt=_salt(user), max_age=settings.REPORT_IMPORT_PREVIEW_MAX_AGE
        )
        return [str(name) for name in payload.get("names", [])]
    except (signing.BadSignature, AttributeError, TypeError):
        return []


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
        language = self.cleaned_data.get("language") or "en"
        try:
            if language == "en":
                self.cleaned_data["parsed"] = report_read(data=upload.read(), filename=name)
            else:
                self.cleaned_data["language_version"] = report_language_read(
                    data=upload.read(), filename=name, language=language
                )
        except ReportParseError as exc:
            raise ValidationError(
                _("This file cannot be imported: %(reason)s"),
                code="unreadable",
                params={"reason": str(exc)},
            ) from None
        return upload


class ReportConfirmForm(forms.Form):
    """Confirms a previewed import, with one required choice for each name the preview could
    not resolve: one of the States, an organization, or skip. The names come from the signed
    token, so that the questions asked are the questions answered."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user, names: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if names is None:
            names = _names_in(str(self.data.get("token", "")), user) if self.is_bound else []
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

    def clean_token(self) -> dict[str, Any]:
        try:
            payload = signing.loads(
                self.cleaned_data["token"],
                salt=_salt(self.user),
                max_age=settings.REPORT_IMPORT_PREVIEW_MAX_AGE,
            )
            report = ParsedReport.from_dict(payload["report"])
            meeting = payload["meeting"]
            update = bool(payload["update"])
            filename = str(payload.get("filename", ""))
        except signing.SignatureExpired:
            raise ValidationError(
                _("The preview has expired; upload the file again."), code="expired"
            ) from None
        except (signing.BadSignature, ReportParseError, KeyError, TypeError):
            raise ValidationError(
                _("The preview is not valid; upload the file again."), code="invalid"
            ) from None
        return {"report": report, "meeting": meeting, "update": update, "filename": filename}
