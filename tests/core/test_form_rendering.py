"""Every form on the site renders the GOV.UK way through one pair of templates
(templates/forms/, core.forms.FormRenderer): label above the field without a colon, the hint
under the label and tied to the field, the error above the field and announced, optional fields
marked, checkboxes and radios with their label beside the box."""

from __future__ import annotations

import lxml.html
from django import forms
from django.conf import settings
from django.forms.renderers import get_default_renderer

from core.forms import FormRenderer, show_when


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name of the authority", help_text="As in its own documents.")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "Central authority"), ("b", "Focal point")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="Publish it", required=False, help_text="Anyone can read it.")
    meeting = forms.CharField(label="Meeting", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        show_when(self.fields["meeting"], "kind=a")


def render(form: forms.Form) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(str(form), create_parent="div")


def group_of(tree: lxml.html.HtmlElement, field_id: str) -> lxml.html.HtmlElement:
    (group,) = tree.xpath(f'//*[@id="{field_id}"]/ancestor::div[contains(@class, "form-group")]')
    return group


def test_the_site_renders_forms_with_its_own_templates():
    assert settings.FORM_RENDERER == "core.forms.FormRenderer"
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert renderer.form_template_name == "forms/form.html"
    assert renderer.field_template_name == "forms/field.html"


def test_the_label_comes_above_the_field_without_a_colon():
    tree = render(ExampleForm())
    group = group_of(tree, "id_name")
    label, field = group.xpath('.//label[@for="id_name"]')[0], group.get_element_by_id("id_name")
    assert label.text_content().strip() == "Name of the authority"
    assert ":" not in label.text_content()
    assert list(group.iter()).index(label) < list(group.iter()).index(field)


def test_the_hint_is_under_the_label_and_describes_the_field():
    group = group_of(render(ExampleForm()), "id_name")
    hint = group.get_element_by_id("id_name_helptext")
    assert hint.text_content() == "As in its own documents."
    assert "hint" in hint.get("class")
    assert group.get_element_by_id("id_name").get("aria-describedby") == "id_name_helptext"
    order = [element.get("id") or element.tag for element in group.iter()]
    assert order.index("label") < order.index("id_name_helptext") < order.index("id_name")


def test_an_error_is_announced_above_the_field_and_marks_it_invalid():
    form = ExampleForm(data={"kind": "a"})
    group = group_of(render(form), "id_name")
    assert "form-group-error" in group.get("class")
    error = group.get_element_by_id("id_name_error")
    assert error.xpath('.//span[@class="visually-hidden"]')[0].text == "Error:"
    assert "This field is required." in error.text_content()
    field = group.get_element_by_id("id_name")
    assert field.get("aria-invalid") == "true"
    assert field.get("aria-describedby").split() == ["id_name_helptext", "id_name_error"]
    order = [element.get("id") for element in group.iter()]
    assert order.index("id_name_error") < order.index("id_name")


def test_optional_fields_say_so_and_required_ones_do_not():
    tree = render(ExampleForm())
    assert group_of(tree, "id_notes").xpath('.//span[@class="optional"]')[0].text == "(optional)"
    assert not group_of(tree, "id_name").xpath('.//span[@class="optional"]')


def test_textareas_take_the_full_width_of_their_group():
    group = group_of(render(ExampleForm()), "id_notes")
    assert group.get_element_by_id("id_notes").tag == "textarea"
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".form-group textarea { width: 100%;" in css


def test_radios_are_a_fieldset_with_a_legend_and_each_label_beside_its_box():
    group = group_of(render(ExampleForm()), "id_kind_0")
    (fieldset,) = group.xpath(".//fieldset")
    assert fieldset.xpath("./legend")[0].text_content().strip() == "Kind"
    label = group.xpath('.//label[@for="id_kind_0"]')[0]
    # Django's widget puts the box inside its label, first.
    assert label[0].get("type") == "radio"
    assert label.text_content().strip() == "Central authority"


def test_a_lone_checkbox_has_its_label_after_the_box_and_its_hint_tied_to_it():
    group = group_of(render(ExampleForm()), "id_agree")
    box = group.get_element_by_id("id_agree")
    label = group.xpath('.//label[@for="id_agree"]')[0]
    assert box.getnext() is label
    assert label.text_content() == "Publish it"
    assert box.get("aria-describedby") == "id_agree_helptext"
    # A lone checkbox is a yes or no, never marked optional.
    assert not group.xpath('.//span[@class="optional"]')


def test_a_conditional_field_carries_its_condition_for_the_script():
    group = group_of(render(ExampleForm()), "id_meeting")
    assert group.get("data-show-when") == "kind=a"
    assert not group.xpath('.//span[@class="optional"]')


def test_hidden_fields_are_rendered_once_without_a_group():
    tree = render(ExampleForm())
    (hidden,) = tree.xpath('//input[@name="secret"]')
    assert hidden.get("type") == "hidden"
    assert not hidden.xpath('ancestor::div[contains(@class, "form-group")]')
