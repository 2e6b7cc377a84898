"""The public compliance summaries: the page and its CSV download."""

from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("compliance.csv", views.summary_csv, name="csv"),
]
