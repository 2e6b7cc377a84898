"""The status badge tag (core/templatetags/formatting.py), which long tables call once per row:
the one markup of a status, whether a page includes `_status_badge.html` or calls the tag."""

from __future__ import annotations

from django.template import Context, Template
from django.template.loader import render_to_string


def _render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


def test_the_badge_tag_and_the_partial_write_the_same_escaped_markup():
    tag = _render("{% status_badge value label %}", value="in_progress", label="In <progress>")
    partial = render_to_string(
        "_status_badge.html", {"value": "in_progress", "label": "In <progress>"}
    )

    assert tag == '<span class="status status-in_progress">In &lt;progress&gt;</span>'
    assert partial.strip() == tag
