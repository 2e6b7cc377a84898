"""Form helpers every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
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


class FormRenderer(TemplatesSetting):
    """The site's form rendering (settings.FORM_RENDERER): the GOV.UK pattern for every form.

    `{{ form }}` and `{{ form.field.as_field_group }}` render templates/forms/form.html and
    templates/forms/field.html: label above the field without a trailing colon, hint under
    the label, the error above the field, checkboxes and radios in a fieldset with each
    label beside its box, "(optional)" on optional fields. Django's own widget templates do
    the rest, so a widget renders the same in the admin and on the site.
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def show_when(field: forms.Field, condition: str) -> None:
    """Show `field` only while another field has a value, as `condition` says ("source=x").

    The field's group carries `data-show-when` (static/js/site.js hides it otherwise);
    without the script the field always shows, so the form must ignore its value when the
    condition does not hold.
    """
    field.show_when = condition  # type: ignore[attr-defined]
