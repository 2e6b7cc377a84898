"""The API resource `compliance`, included under /api/v1/compliance/ (namespace `api`)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("", apis.ComplianceLatestView.as_view(), name="compliance-latest"),
    path("figures/", apis.ComplianceFiguresView.as_view(), name="compliance-figures"),
    # Every row of a dimension as CSV, at an address of its own as every list's export is
    # (wgsom/api_urls.py), so that the schema describes it as text/csv.
    path(
        "figures.csv",
        apis.ComplianceFiguresView.as_view(),
        {"format": "csv"},
        name="compliance-figures-csv",
    ),
    path("history/", apis.ComplianceHistoryView.as_view(), name="compliance-history"),
]
