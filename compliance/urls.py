"""The public implementation summary (the page, the pages of each of its dimensions and its CSV
download), and the Secretariat's implementation report for a meeting (Secretariat staff
only)."""

from django.urls import path

from . import document_views, reminder_views, views

app_name = "compliance"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("implementation.csv", views.summary_csv, name="csv"),
    path("by-<slug:section>/", views.summary_section, name="section"),
    path("reports/", document_views.report_index, name="reports"),
    path("reports/preview/", document_views.report_preview, name="report_preview"),
    path("reports/build/", document_views.report_generate, name="report_generate"),
    path("reports/<int:pk>/", document_views.report_status, name="report_status"),
    path(
        "reports/<int:pk>/download.<str:file_format>",
        document_views.report_download,
        name="report_download",
    ),
    path("reminders/", reminder_views.reminders, name="reminders"),
    path("reminders/send/", reminder_views.reminders_send, name="reminders_send"),
]
