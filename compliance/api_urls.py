"""The API resource `compliance`, included under /api/v1/compliance/ (namespace `api`)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("", apis.ComplianceLatestView.as_view(), name="compliance-latest"),
    path("history/", apis.ComplianceHistoryView.as_view(), name="compliance-history"),
]
