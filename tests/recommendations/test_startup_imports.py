"""Starting a process does not import scikit-learn: only the similarity computation needs it,
and every management command and web worker would otherwise pay for it (seconds, ~100 MB)."""

from __future__ import annotations

import os

from tests.processes import run_python

# As manage.py and the WSGI module start: the apps made ready (their receivers connected),
# then the URLconf loaded, as a web worker's first request and `manage.py check` do.
STARTUP = (
    "import json, os, sys, django\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'wgsom.settings.base')\n"
    "django.setup()\n"
    "from django.apps import apps\n"
    "ready = {'installed': apps.is_installed('recommendations'),\n"
    "         'sklearn': 'sklearn' in sys.modules}\n"
    "from django.urls import get_resolver\n"
    "get_resolver().url_patterns\n"
    "print(json.dumps({'ready': ready, 'urls': {'sklearn': 'sklearn' in sys.modules}}))\n"
)


def started() -> dict[str, dict[str, bool]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    return run_python(STARTUP, env)


def test_a_process_starts_and_loads_its_urls_without_importing_scikit_learn():
    imported = started()

    assert imported["ready"] == {"installed": True, "sklearn": False}
    assert imported["urls"] == {"sklearn": False}
