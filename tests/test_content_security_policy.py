"""The Content-Security-Policy: every page, the admin's and the API documentation's included,
is sent one that allows only this site's own scripts and styles (no 'unsafe-inline'), and no
template relies on what it refuses: style attributes, inline scripts or styles without the
request's nonce, on* handlers, javascript: addresses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from wgsom.api_urls import REDOC_STYLE_HASHES

ROOT = Path(settings.BASE_DIR)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def _assert_strict(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    return policy


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "recommendations:list", "login"])
def test_a_public_page_is_sent_the_strict_policy(client, name):
    _assert_strict(client.get(reverse(name)))


def test_the_admin_is_sent_the_strict_policy(superuser_client):
    for url in (reverse("admin:index"), reverse("admin:states_state_changelist")):
        _assert_strict(superuser_client.get(url))


@pytest.mark.django_db
def test_swagger_ui_is_sent_the_strict_policy_and_its_start_up_script_is_a_file(client):
    response = client.get("/api/v1/docs/")
    policy = _assert_strict(response)
    assert policy["style-src"] == ["'self'"]
    page = response.content.decode()
    assert "<style" not in page
    assert re.search(r'<script src="[^"]*\?script=', page)
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.django_db
def test_redoc_gets_a_nonce_for_the_styles_it_writes_and_nothing_else_inline(client):
    response = client.get("/api/v1/redoc/")
    policy = _assert_strict(response)
    page = response.content.decode()
    nonce = re.search(r'<script src="[^"]*redoc-init\.js" nonce="([^"]+)"', page)
    assert nonce, "the start-up script carries the nonce it hands to ReDoc"
    # Besides the nonce, the hashes of the one <style> ReDoc writes before it has the nonce,
    # and a worker from a blob: address for its search: on this page only.
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce.group(1)}'", *REDOC_STYLE_HASHES]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert "fonts.googleapis.com" not in page


@pytest.mark.django_db
def test_a_page_that_uses_no_nonce_is_not_sent_one_nor_the_redoc_exceptions(client):
    policy = _policy(client.get(reverse("home")))
    assert policy["style-src"] == ["'self'"]
    assert "worker-src" not in policy


def test_the_nonce_differs_from_request_to_request(db, client):
    first = _policy(client.get("/api/v1/redoc/"))["style-src"]
    second = _policy(client.get("/api/v1/redoc/"))["style-src"]
    assert first != second


# --- The templates ----------------------------------------------------------------------------

# The site's templates, the app's and the project's; documents/ are laid out by WeasyPrint into
# PDFs, never served as pages, but are held to the same rule so that none becomes one by surprise.
TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts and "node_modules" not in path.parts
)

STYLE_ATTRIBUTE = re.compile(r"""<[^>]*\sstyle\s*=""", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
# An opening <script> without src, or <style>, that has no nonce; JSON data blocks
# (type="application/json", as json_script writes) are not run, so are allowed.
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b([^>]*)>", re.IGNORECASE)


def test_the_templates_are_found():
    assert len(TEMPLATES) > 50
    assert ROOT / "templates" / "base.html" in TEMPLATES


def _problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    # {# #} and {% comment %} may mention what they avoid.
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
    text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.DOTALL)
    problems = []
    if STYLE_ATTRIBUTE.search(text):
        problems.append("a style attribute")
    if HANDLER_ATTRIBUTE.search(text):
        problems.append("an on* handler attribute")
    if JAVASCRIPT_URL.search(text):
        problems.append("a javascript: address")
    for attributes in SCRIPT_TAG.findall(text):
        if "src=" not in attributes and "nonce=" not in attributes and "json" not in attributes:
            problems.append("an inline <script> without a nonce")
    for attributes in STYLE_TAG.findall(text):
        if "nonce=" not in attributes:
            problems.append("a <style> element without a nonce")
    return problems


def test_no_template_uses_what_the_policy_refuses():
    found = {str(path.relative_to(ROOT)): _problems(path) for path in TEMPLATES}
    assert {path: problems for path, problems in found.items() if problems} == {}


@pytest.mark.parametrize(
    "snippet",
    [
        '<p style="color: red">',
        '<button type="button" onclick="go()">',
        '<a href="javascript:void(0)">',
        "<script>start()</script>",
        "<style>p { color: red }</style>",
    ],
)
def test_the_template_scan_finds_each_kind_of_problem(tmp_path, snippet):
    template = tmp_path / "page.html"
    template.write_text(snippet, encoding="utf-8")
    assert _problems(template)


def test_the_template_scan_allows_files_nonces_and_data(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '<script src="/static/js/site.js" defer></script>'
        '<style nonce="{{ request.csp_nonce }}">p {}</style>'
        '<script id="data" type="application/json">{}</script>'
        '<p class="onboarding" data-style="x">{# style="" #}</p>',
        encoding="utf-8",
    )
    assert _problems(template) == []


def test_every_place_a_trend_label_can_take_has_its_class():
    # The labels are placed by class (compliance/summary.html): x anywhere from 0 to 100 in
    # whole percentages, y on the five gridlines.
    rules = (ROOT / "static" / "css" / "trend-positions.css").read_text(encoding="utf-8")
    for x in range(101):
        assert f".trend-x-at-{x} {{ inset-inline-start: {x}%; }}" in rules
    for y in (0, 25, 50, 75, 100):
        assert f".trend-y-at-{y} {{ inset-block-start: {y}%; }}" in rules
