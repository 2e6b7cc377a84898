"""Forms of the reporting pages and the admin. They validate input; the services write.

A form's choices never grant anything: the services check permissions again, so a focal point
who edits the page to post another State's code is refused (403), whatever the form says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import refuse_if_stale, show_when
from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation
from recommendations.selectors import with_text_in
from states import selectors as state_selectors
from states.models import RegionalGroup, State

from . import selectors, services
from .models import ImplementationReport

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern), each checked by content."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        for file in files:
            try:
                services.attachment_check(file)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["attachments"]) from None
        return files


class RecommendationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        return f"{obj.meeting.year}: {obj.display_label}"


class _ByMeetingIterator(forms.models.ModelChoiceIterator):
    """The choices in one optgroup per meeting, from the one query of the queryset (which
    is ordered by meeting)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        group: list = []
        meeting = None
        for obj in self.queryset.select_related("meeting"):
            if meeting is not None and obj.meeting_id != meeting.pk:
                yield (str(meeting), group)
                group = []
            meeting = obj.meeting
            group.append(self.choice(obj))
        if meeting is not None:
            yield (str(meeting), group)


class RecommendationPickerField(RecommendationChoiceField):
    """Adopted recommendations by meeting, newest meeting first, each with the start of its
    text in the reader's language: a number alone ("2020: Recommendation 8") says too
    little to pick the right one. The select offers a filter box (static/js/site.js)."""

    iterator = _ByMeetingIterator

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget", forms.Select(attrs={"data-filter-select": _("Filter recommendations")})
        )
        super().__init__(
            queryset=adopted_recommendations().order_by("-meeting__ordinal", "order"), **kwargs
        )

    def label_from_instance(self, obj: Recommendation) -> str:
        text = Truncator(" ".join(obj.displayed.text.split())).chars(120)
        return _("%(recommendation)s: %(text)s") % {"recommendation": obj, "text": text}


def adopted_recommendations():
    return Recommendation.objects.filter(status=Recommendation.Status.ADOPTED).select_related(
        "meeting"
    )


class ReportForm(forms.ModelForm):
    """A report's content, for a focal point (its own State) or staff (any State, a source).

    Editing carries the version the editor started from; a stale one is refused with what
    changed (the services check again under a row lock).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    state = forms.ModelChoiceField(
        queryset=State.objects.all(),
        to_field_name="code",
        label=_("State"),
        error_messages={"required": _("Choose the State")},
    )
    recommendation = RecommendationPickerField(
        label=_("Recommendation"),
        error_messages={"required": _("Choose the recommendation you report on")},
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, Word (DOCX), Excel (XLSX), PNG or JPEG; at most 10 MB each."),
    )
    validate = forms.BooleanField(
        label=_("Record as validated (publish now)"),
        required=False,
        help_text=_("For information the Secretariat has checked itself."),
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence"),
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={
            "invalid": _(
                "Enter the link as a full web address, for example https://www.example.org/plan"
            )
        },
    )

    class Meta:
        model = ImplementationReport
        # What the services let an author write, so the form never offers more or less.
        fields = (
            "state",
            "recommendation",
            *services.REPORT_CONTENT_FIELDS,
            *services.REPORT_SOURCE_FIELDS,
        )
        widgets = {
            "status": forms.RadioSelect,
            "as_of": DATE_INPUT,
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
        }
        labels = {"description": _("Describe the measures taken")}
        help_texts = {
            "as_of": _("The date on which the status was true, for example 2024-01-15."),
            "description": _(
                "What your State has done to implement the recommendation: laws, plans, "
                "training, cooperation."
            ),
        }
        error_messages = {
            "status": {"required": _("Choose a status")},
            "as_of": {
                "required": _("Enter the date the status applies to"),
                "invalid": _("Enter the date the status applies to as a real date"),
            },
            "period_start": {"invalid": _("Enter the start of the period as a real date")},
            "period_end": {"invalid": _("Enter the end of the period as a real date")},
            "source": {"required": _("Say where the information comes from.")},
        }

    def __init__(self, *args, staff: bool, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.fields["status"].choices = ImplementationStatus.choices
        self.fields["recommendation"].queryset = with_text_in(
            self.fields["recommendation"].queryset
        )
        if staff:
            self.fields["source"].choices = [("", "---------"), *services.STAFF_SOURCES]
            self.fields["source_meeting"].queryset = Meeting.objects.order_by("ordinal")
            show_when(
                self.fields["source_meeting"],
                f"source={ImplementationReport.Source.NATIONAL_STATEMENT.value}",
            )
            if (
                not self.instance.pk
                or self.instance.source != ImplementationReport.Source.FOCAL_POINT
            ):
                self.fields["source"].required = True
            else:
                del self.fields["source"]
                del self.fields["source_meeting"]
        else:
            # A focal point's report always comes from its focal point.
            for name in ("source", "source_meeting", "validate"):
                del self.fields[name]
        if editing:
            # A report stays with its State and recommendation; correct a mistake by a new one.
            del self.fields["state"]
            del self.fields["recommendation"]
            self.fields.pop("validate", None)
            self.fields["version"].initial = self.instance.version
        elif not staff:
            self.fields["state"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if (
            "source_meeting" in self.fields
            and cleaned.get("source") != ImplementationReport.Source.NATIONAL_STATEMENT
        ):
            # Only a national statement names a meeting. Without the script the meeting field
            # shows whatever the source, and a choice left in it must not count.
            cleaned["source_meeting"] = None
            self.errors.pop("source_meeting", None)
        refuse_if_stale(self, self.instance)
        return cleaned

    def content(self) -> dict:
        """The cleaned values the services take."""
        names = [*services.REPORT_CONTENT_FIELDS]
        if "source" in self.fields:
            names += list(services.REPORT_SOURCE_FIELDS)
        return {name: self.cleaned_data.get(name) for name in names}


class ActionForm(forms.Form):
    """Submit, validate: only the version the user saw, so a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnForm(ActionForm):
    comment = forms.CharField(
        label=_("What should the State change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ReviewDecision(models.TextChoices):
    VALIDATE = "validate", _("Validate")
    RETURN = "return", _("Return to the State")


class RadioButtons(forms.RadioSelect):
    """Radio buttons whose field answers to its first button's id, so that the error summary
    links to a control (the group itself is named by its fieldset's legend)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class ReviewDecisionForm(ActionForm):
    """The Secretariat's decision on a submitted report: validate it (confirmed on a page of
    its own, since a publication cannot be undone) or return it with a comment."""

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=ReviewDecision.choices,
        widget=RadioButtons,
        error_messages={"required": _("Choose whether to validate the report or return it")},
    )
    comment = forms.CharField(
        label=_("Comment to the State"),
        help_text=_(
            "Required when you return the report; the State sees it, the public never does."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        returning = data.get("decision") == ReviewDecision.RETURN
        if returning and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Write a comment saying what the State should change"))
        return data


class BulkRecommendationField(forms.ModelChoiceField):
    """A recommendation as its number, its meeting's year and the start of its text, which is
    what tells two "Recommendation 3"s apart."""

    def label_from_instance(self, obj: Recommendation) -> str:
        return _("%(label)s (%(year)s): %(text)s") % {
            "label": obj.display_label,
            "year": obj.meeting.year,
            "text": Truncator(obj.displayed.text).chars(90),
        }


class BulkEntryForm(forms.Form):
    """The part of a bulk entry common to every State: recommendation, date and source."""

    recommendation = BulkRecommendationField(
        queryset=adopted_recommendations(),
        label=_("Recommendation"),
        empty_label=_("Choose a recommendation"),
    )
    as_of = forms.DateField(
        label=_("Status as of"),
        help_text=_("The date the information describes; each State's line can change it."),
        widget=DATE_INPUT,
    )
    # No source is preselected: where the information comes from is chosen every time.
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("Choose the source")), *services.STAFF_SOURCES]
    )
    source_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.order_by("ordinal"),
        required=False,
        label=_("Meeting (for national statements)"),
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence"), required=False, assume_scheme="https"
    )
    # Never ticked for the user: publishing is a decision, made each time.
    validate = forms.BooleanField(
        label=_("Record as validated (publish now)"),
        help_text=_("Left unticked, the reports are recorded as drafts for review."),
        required=False,
        initial=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The texts in the reader's language, read when the form is made, not when imported.
        field = cast(forms.ModelChoiceField, self.fields["recommendation"])
        field.queryset = with_text_in(adopted_recommendations())
        show_when(
            self.fields["source_meeting"],
            f"source={ImplementationReport.Source.NATIONAL_STATEMENT.value}",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The meeting field is hidden unless the source is a national statement; a value
        # left in it from before does not count.
        if data.get("source") != ImplementationReport.Source.NATIONAL_STATEMENT:
            data["source_meeting"] = None
        return data

    def summary(self) -> list[tuple[str, str]]:
        """What the check step repeats of the common part, as (label, value) pairs."""
        data = getattr(self, "cleaned_data", {})
        field = cast(BulkRecommendationField, self.fields["recommendation"])
        rows: list[tuple[str, str]] = []
        if data.get("recommendation"):
            rows.append((_("Recommendation"), field.label_from_instance(data["recommendation"])))
        if data.get("source"):
            rows.append((_("Source"), str(dict(services.STAFF_SOURCES)[data["source"]])))
        if data.get("source_meeting"):
            rows.append((_("Meeting"), str(data["source_meeting"])))
        if data.get("evidence_url"):
            rows.append((_("Link to evidence"), data["evidence_url"]))
        rows.append(
            (
                _("Recorded as"),
                _("Validated: published now")
                if data.get("validate")
                else _("Drafts, for review before publication"),
            )
        )
        return rows


class BulkProtocol(models.TextChoices):
    ANY = "", _("Any Protocol status")
    PARTY = "party", _("Parties to the Protocol")
    NOT_PARTY = "not_party", _("Not parties (signatories, non-parties, status unknown)")


class BulkChooseForm(BulkEntryForm):
    """Step one of a bulk entry: the recommendation, the States and the status they share.

    States are chosen by regional group and Protocol status (together they narrow the
    choice: the parties among the African States), and by a pasted list, which adds to it.
    `cleaned_data["states"]` holds the States chosen, with where each stands.
    """

    regional_groups = forms.ModelMultipleChoiceField(
        queryset=RegionalGroup.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Regional groups"),
    )
    protocol = forms.ChoiceField(
        choices=BulkProtocol.choices,
        widget=forms.RadioSelect,
        required=False,
        label=_("Protocol status"),
        help_text=_(
            "The Smuggling of Migrants Protocol. With regional groups ticked, only their "
            "States with this status."
        ),
    )
    pasted = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
        label=_("Paste State names or ISO codes, one per line or separated by commas"),
        help_text=_("These States are added to any chosen above; repeats are ignored."),
    )
    status = forms.ChoiceField(
        choices=ImplementationStatus.choices,
        widget=forms.RadioSelect,
        label=_("Status"),
        help_text=_("Given to every State chosen; each State's line can change it."),
    )

    field_order = [
        "recommendation",
        "regional_groups",
        "protocol",
        "pasted",
        "status",
        "as_of",
        "source",
        "source_meeting",
        "evidence_url",
        "validate",
    ]

    def clean_pasted(self) -> list[State]:
        pasted = state_selectors.states_from_pasted_list(self.cleaned_data.get("pasted") or "")
        if pasted.unknown:
            raise ValidationError(
                [
                    _("“%(name)s” is not a State name or ISO code that the tracker knows.")
                    % {"name": name}
                    for name in pasted.unknown
                ]
            )
        return pasted.states

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        groups, protocol = data.get("regional_groups"), data.get("protocol")
        if not (groups or protocol or data.get("pasted") or self.has_error("pasted")):
            raise ValidationError(
                _(
                    "Choose the States: tick a regional group, choose a Protocol status, or "
                    "paste their names or codes."
                )
            )
        if self.errors or not data.get("recommendation"):
            return data
        data["states"] = selectors.states_for_bulk_entry(
            recommendation=data["recommendation"],
            regional_groups=groups or (),
            protocol=protocol or "",
            state_ids=[state.pk for state in data.get("pasted") or ()],
        )
        if not data["states"]:
            raise ValidationError(_("No State matches this choice."))
        return data


class BulkRowForm(forms.Form):
    """One State's line at the check step: left out when "include" is unticked."""

    state = forms.CharField(widget=forms.HiddenInput, max_length=3)
    include = forms.BooleanField(label=_("Include"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=ImplementationStatus.choices, required=False
    )
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("include"):
            if not cleaned.get("status"):
                self.add_error("status", _("Give this State's status."))
            if not cleaned.get("as_of") and not self.has_error("as_of"):
                self.add_error("as_of", _("Give the date of this State's status."))
        return cleaned


class BaseBulkRowFormSet(forms.BaseFormSet):
    """The check step's lines. `recommendation` is the entry's; each line's State is read,
    with its current status there, in one query for all lines (`rows()` pairs them)."""

    def __init__(
        self,
        *args: Any,
        recommendation: Recommendation | None = None,
        states: Sequence[State] = (),
        **kwargs: Any,
    ) -> None:
        self.recommendation = recommendation
        self._states = {state.code: state for state in states}
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        if self.recommendation is None:
            return
        codes = [form["state"].value() for form in self.forms]
        self._states = {
            state.code: state
            for state in selectors.states_for_bulk_entry(
                recommendation=self.recommendation, codes=codes
            )
        }
        unknown = [code for code in codes if code not in self._states]
        if unknown:
            raise ValidationError(
                _("No State has the code %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
            )
        if not any(form.cleaned_data.get("include") for form in self.forms if form.is_valid()):
            raise ValidationError(_("Tick “include” for at least one State."))

    def rows(self) -> list[tuple[forms.Form, State | None]]:
        return [(form, self._states.get(form["state"].value())) for form in self.forms]

    def included_count(self) -> int:
        return sum(1 for form in self.forms if form["include"].value())

    def record_labels(self) -> list[str]:
        """The primary button's words for every number of lines ticked (the page's script
        keeps the button true as lines are unticked)."""
        return [
            ngettext("Record %(count)s report", "Record %(count)s reports", count)
            % {"count": count}
            for count in range(len(self.forms) + 1)
        ]

    def entries(self) -> list[services.BulkEntry]:
        return [
            services.BulkEntry(
                state=self._states[form.cleaned_data["state"]],
                status=form.cleaned_data["status"],
                as_of=form.cleaned_data["as_of"],
            )
            for form in self.forms
            if form.cleaned_data.get("include")
        ]


# formset_factory is typed as returning a plain BaseFormSet class; this one is ours.
BulkRowFormSet = cast(
    "type[BaseBulkRowFormSet]",
    forms.formset_factory(
        BulkRowForm, formset=BaseBulkRowFormSet, extra=0, max_num=250, absolute_max=250
    ),
)


def bulk_rows(*, data: Mapping[str, Any]) -> BaseBulkRowFormSet:
    """The check step's lines for the States step one chose (`BulkChooseForm.cleaned_data`),
    each ticked, with the common status and date."""
    states = data["states"]
    return BulkRowFormSet(
        prefix="rows",
        recommendation=data["recommendation"],
        states=states,
        initial=[
            {"state": state.code, "include": True, "status": data["status"], "as_of": data["as_of"]}
            for state in states
        ],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One report per line; the first line names the columns."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB."))
        return file


class ImportConfirmForm(forms.Form):
    """The confirmation of a checked file, on its job page."""

    # Never ticked beforehand: publishing is a choice the Secretariat makes for each file,
    # once it has seen what the file holds.
    validate = forms.BooleanField(
        label=_("Record the reports as validated (publish them)"),
        help_text=_("Left unticked, they are recorded as drafts for the review queue."),
        required=False,
    )


class ImplementationReportAdminForm(forms.ModelForm):
    """The admin's report form: staff entry with a source; a stale copy is refused."""

    # Not "version": the admin shows that model field read-only, and would drop this one.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    evidence_url = forms.URLField(
        label=_("link to evidence"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = ImplementationReport
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            # The service refuses "focal point" from staff; it is offered only where the
            # report already says it (a focal point's own report), so that it can be kept.
            choices = [("", "---------"), *services.STAFF_SOURCES]
            if self.instance.source == ImplementationReport.Source.FOCAL_POINT:
                focal_point = ImplementationReport.Source.FOCAL_POINT
                choices.append((focal_point.value, focal_point.label))
            self.fields["source"].choices = choices
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        elif "review_state" in self.fields:
            # New reports entered here are drafts or, checked by staff, validated at once;
            # submission and return belong to the review workflow.
            self.fields["review_state"].choices = [
                (
                    ImplementationReport.ReviewState.DRAFT,
                    ImplementationReport.ReviewState.DRAFT.label,
                ),
                (
                    ImplementationReport.ReviewState.VALIDATED,
                    ImplementationReport.ReviewState.VALIDATED.label,
                ),
            ]

    def clean(self):
        cleaned = super().clean()
        refuse_if_stale(self, self.instance, field="expected_version")
        return cleaned
