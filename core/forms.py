"""Form helpers every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import changes_since


def refuse_if_stale(form: forms.ModelForm[Any], instance: Any, *, field: str = "version") -> None:
    """Add a form error saying what changed when the form was based on an older version."""
    version = form.cleaned_data.get(field)
    if not instance.pk or version is None or version == instance.version:
        return
    form.add_error(
        None,
        _(
            "Someone else saved this record after you opened it; your changes were not saved. "
            "Reload the page, then make your changes again."
        ),
    )
    for line in changes_since(instance, version=version):
        form.add_error(None, line)
