"""The Celery app: configured from Django settings (CELERY_*), tasks discovered from the apps."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgsom.settings.base")

app = Celery("wgsom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
