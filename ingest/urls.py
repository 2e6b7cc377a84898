"""The staff report import: /staff/import/ (upload), each upload's job (progress, preview,
confirm, result), and the meeting as imported."""

from django.urls import path

from . import views as import_views

app_name = "report_import"

urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("jobs/<int:pk>/", import_views.job, name="job"),
    path("jobs/<int:pk>/confirm/", import_views.confirm, name="confirm"),
    path("meetings/<int:ordinal>/", import_views.done, name="done"),
]
