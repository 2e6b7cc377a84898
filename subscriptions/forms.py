"""The sign-up form: an address, what to follow, how often."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from recommendations.models import Theme
from states.models import State

from .models import Frequency


class Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        # The first box's id (Django gives none for the group), so the error summary's link
        # lands on the question.
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index or "0")


class Radios(forms.RadioSelect):
    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index or "0")


class MeetingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return str(obj)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to this address; nothing else until you confirm."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        help_text=_("New adopted recommendations on these themes, and newly validated reports."),
        queryset=Theme.objects.order_by("order", "name"),
        required=False,
        widget=Checkboxes,
    )
    states = forms.ModelMultipleChoiceField(
        label=_("States"),
        help_text=_("Newly validated implementation reports of these States."),
        queryset=State.objects.order_by("name"),
        required=False,
        widget=Checkboxes,
    )
    meetings = MeetingChoiceField(
        label=_("Meetings"),
        help_text=_("Recommendations newly adopted at these meetings."),
        queryset=Meeting.objects.order_by("-ordinal"),
        required=False,
        widget=Checkboxes,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        help_text=_("One e-mail listing everything new, only when something is."),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=Radios,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(data.get(name) for name in ("themes", "states", "meetings")):
            self.add_error("themes", _("Choose at least one theme, State or meeting to follow."))
        return data


def initial_from(query: QueryDict) -> dict[str, Any]:
    """What a link from a theme, State or meeting page asks to follow: ?theme=<slug>,
    ?state=<code>, ?meeting=<ordinal> (each may repeat). Unknown values are left out."""
    ordinals = [value for value in query.getlist("meeting") if value.isdigit()]
    return {
        "themes": list(Theme.objects.filter(slug__in=query.getlist("theme"))),
        "states": list(State.objects.filter(code__in=[c.upper() for c in query.getlist("state")])),
        "meetings": list(Meeting.objects.filter(ordinal__in=ordinals)),
    }
