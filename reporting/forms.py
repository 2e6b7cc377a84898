"""Forms of the reporting pages and the admin. They validate input; the services write.

A form's choices never grant anything: the services check permissions again, so a focal point
who edits the page to post another State's code is refused (403), whatever the form says.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import refuse_if_stale
from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State

from . import services
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
        queryset=State.objects.all(), to_field_name="code", label=_("State")
    )
    recommendation = RecommendationChoiceField(
        queryset=adopted_recommendations(), label=_("Recommendation")
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
        label=_("Link to evidence"), required=False, assume_scheme="https", max_length=200
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
        widgets = {"as_of": DATE_INPUT, "period_start": DATE_INPUT, "period_end": DATE_INPUT}

    def __init__(self, *args, staff: bool, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.fields["status"].choices = ImplementationStatus.choices
        if staff:
            self.fields["source"].choices = [("", "---------"), *services.STAFF_SOURCES]
            self.fields["source_meeting"].queryset = Meeting.objects.order_by("ordinal")
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


class BulkEntryForm(forms.Form):
    """The part of a bulk entry common to every State: recommendation, date and source."""

    recommendation = RecommendationChoiceField(
        queryset=adopted_recommendations(), label=_("Recommendation")
    )
    as_of = forms.DateField(label=_("Status as of"), widget=DATE_INPUT)
    source = forms.ChoiceField(label=_("Source"), choices=services.STAFF_SOURCES)
    source_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.order_by("ordinal"),
        required=False,
        label=_("Meeting (for national statements)"),
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence"), required=False, assume_scheme="https"
    )
    validate = forms.BooleanField(label=_("Record as validated (publish now)"), required=False)


class BulkRowForm(forms.Form):
    state = forms.ModelChoiceField(
        queryset=State.objects.all(), to_field_name="code", label=_("State"), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", "---------"), *ImplementationStatus.choices],
        required=False,
    )
    description = forms.CharField(label=_("Measures taken"), required=False, max_length=5000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") and not cleaned.get("status"):
            self.add_error("status", _("Give this State's status."))
        if cleaned.get("status") and not cleaned.get("state"):
            self.add_error("state", _("Choose the State this status is for."))
        return cleaned


class BaseBulkRowFormSet(forms.BaseFormSet):
    def entries(self) -> list[services.BulkEntry]:
        return [
            services.BulkEntry(
                state=form.cleaned_data["state"],
                status=form.cleaned_data["status"],
                description=form.cleaned_data.get("description", ""),
            )
            for form in self.forms
            if form.cleaned_data.get("state")
        ]


# formset_factory is typed as returning a plain BaseFormSet class; this one is ours.
BulkRowFormSet = cast(
    "type[BaseBulkRowFormSet]",
    forms.formset_factory(
        BulkRowForm, formset=BaseBulkRowFormSet, extra=10, max_num=250, absolute_max=250
    ),
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One report per line; the first line names the columns."),
    )
    validate = forms.BooleanField(
        label=_("Record the reports as validated (publish them)"), required=False, initial=True
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB."))
        return file


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    validate = forms.BooleanField(widget=forms.HiddenInput, required=False)


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
