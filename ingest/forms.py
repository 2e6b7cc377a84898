"""Forms of the meetings app: uploading a meeting report and confirming its import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .report_parser import SUPPORTED_EXTENSIONS, ParsedReport, ReportParseError
from .services import report_read


def _salt(user) -> str:
    # Bound to the user: a preview token shown to one staff member cannot be replayed by
    # another (or after that user's account is gone).
    return f"meetings.report_import:{user.pk}"


def preview_token(*, user, report: ParsedReport, meeting: int | None, update: bool) -> str:
    """The parsed report and the choices made, signed, to carry from preview to confirm.

    Nothing is stored between the two steps: the token holds everything and cannot be altered
    without breaking its signature.
    """
    payload = {"report": report.to_dict(), "meeting": meeting, "update": update}
    return signing.dumps(payload, salt=_salt(user), compress=True)


class ReportUploadForm(forms.Form):
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
        try:
            self.cleaned_data["parsed"] = report_read(data=upload.read(), filename=name)
        except ReportParseError as exc:
            raise ValidationError(
                _("This file cannot be imported: %(reason)s"),
                code="unreadable",
                params={"reason": str(exc)},
            ) from None
        return upload


class ReportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

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
        except signing.SignatureExpired:
            raise ValidationError(
                _("The preview has expired; upload the file again."), code="expired"
            ) from None
        except (signing.BadSignature, ReportParseError, KeyError, TypeError):
            raise ValidationError(
                _("The preview is not valid; upload the file again."), code="invalid"
            ) from None
        return {"report": report, "meeting": meeting, "update": update}
