"""The reporting workflow, under /reporting/: focal points' pages and the Secretariat's."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("my-state/", views.my_state, name="my_state"),
    path("states/<str:code>/", views.state_reports, name="state"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/validate/", views.report_validate, name="report_validate"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path(
        "reports/<int:pk>/review/confirm/",
        views.report_review_confirm,
        name="report_review_confirm",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("review/", views.review_queue, name="review_queue"),
    path("bulk/", views.bulk_entry, name="bulk_entry"),
    path("import/", views.import_reports, name="import"),
    path("import/jobs/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
]
