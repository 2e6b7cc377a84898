"""The Secretariat's choice of meeting, snapshot and language for an implementation report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, get_supported_language_variant, ngettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting

from .models import ComplianceSnapshot
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
