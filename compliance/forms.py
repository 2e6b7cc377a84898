"""The Secretariat's choice of meeting, snapshot and language for an implementation report,
and its reminder settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, get_supported_language_variant, ngettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting

from .models import ComplianceSnapshot, ReminderSettings
from .selectors import snapshot_choices


class SnapshotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        snapshot: ComplianceSnapshot = obj
        return ngettext(
            "Snapshot %(number)s, computed %(when)s (%(reports)s validated report)",
            "Snapshot %(number)s, computed %(when)s (%(reports)s validated reports)",
            snapshot.validated_reports,
        ) % {
            "number": snapshot.sequence,
            "when": timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M"),
            "reports": snapshot.validated_reports,
        }


class SecretariatReportForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.order_by("-ordinal"),
        label=_("Meeting"),
        help_text=_("The meeting of the Working Group the report is for."),
        empty_label=None,
        error_messages={"required": _("Choose the meeting the report is for.")},
    )
    snapshot = SnapshotChoiceField(
        queryset=snapshot_choices(),
        label=_("Compliance snapshot"),
        help_text=_(
            "The figures the report shows. A snapshot's figures never change, so the report "
            "says the same whatever is validated after it."
        ),
        empty_label=None,
        error_messages={"required": _("Choose the snapshot whose figures the report shows.")},
    )
    language = forms.ChoiceField(
        # Not just "Language": the site's language switcher on the same page is labelled so.
        label=_("Language of the report"),
        help_text=_("The language the report is written in."),
        choices=settings.LANGUAGES,
        error_messages={"required": _("Choose the language of the report.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Unbound, the form offers the latest meeting and snapshot in the page's language.
        # The supported code itself, not its first part: "zh-hans" is a language of the list,
        # "zh" is not.
        self.fields["language"].initial = get_supported_language_variant(
            get_language() or settings.LANGUAGE_CODE
        )


class ReminderSettingsForm(forms.ModelForm):
    """The days after a meeting before its reminders start. Validation is the model's (0 to
    365); saving goes through services.reminder_settings_update, never form.save()."""

    class Meta:
        model = ReminderSettings
        fields = ["days_after_meeting"]
        labels = {"days_after_meeting": _("Days after a meeting before reminders start")}
        error_messages = {
            "days_after_meeting": {
                "required": _("Enter the number of days after a meeting, from 0 to 365."),
                "invalid": _("Enter the number of days as a whole number, from 0 to 365."),
                "min_value": _("The number of days must be 0 or more."),
                "max_value": _("The number of days must be 365 or fewer."),
            }
        }
