"""The admin's forms: recommendations, and the search thesaurus's entries."""

from __future__ import annotations

from django import forms

from core.forms import refuse_if_stale

from . import services
from .models import Recommendation, ThesaurusEntry


class RecommendationAdminForm(forms.ModelForm):
    """The admin's recommendation form, refusing a save based on a stale copy."""

    # Not "version": the admin shows that model field read-only, and would drop this one.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Recommendation
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        refuse_if_stale(self, self.instance, field="expected_version")
        return cleaned


class ThesaurusEntryAdminForm(forms.ModelForm):
    """A thesaurus entry, its terms checked as the service checks them, so that a mistake is
    shown on the form rather than refused at the save."""

    class Meta:
        model = ThesaurusEntry
        fields = ["terms", "note"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 8})}

    def clean_terms(self) -> str:
        try:
            return "\n".join(services.thesaurus_terms_clean(self.cleaned_data["terms"]))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["terms"]) from None
