from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactPoint, State


class ContactPointForm(forms.ModelForm):
    """An entry of the directory. Staff choose the State; a focal point's is its own."""

    state = forms.ModelChoiceField(
        queryset=State.objects.all(), to_field_name="code", label=_("State")
    )

    class Meta:
        model = ContactPoint
        fields = ("state", "kind", "authority", "name", "role", "email", "phone", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, choose_state: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not choose_state or self.instance.pk:
            del self.fields["state"]
