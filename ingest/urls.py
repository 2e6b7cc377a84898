"""The staff report import: /staff/import/ (upload and preview), confirm, and the result."""

from django.urls import path

from . import views as import_views

app_name = "report_import"

urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("confirm/", import_views.confirm, name="confirm"),
    path("meetings/<int:ordinal>/", import_views.done, name="done"),
]
