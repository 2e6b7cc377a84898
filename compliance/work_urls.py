""" "Needs your action" (/work/): the signed-in landing page. Not namespaced, so that
LOGIN_REDIRECT_URL can name it simply "work"."""

from django.urls import path

from . import work_views

urlpatterns = [
    path("", work_views.work, name="work"),
]
