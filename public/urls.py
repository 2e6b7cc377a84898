"""The public pages, under the namespaces their addresses read as: recommendations (with
themes and search), meetings and States; and their Atom feeds, under feeds/."""

from __future__ import annotations

from django.urls import path

from . import documents, feeds, meeting_views, state_views, views

recommendation_urls = (
    [
        path("recommendations/", views.recommendation_list, name="list"),
        path("recommendations/<int:pk>/", views.recommendation_detail, name="detail"),
        path(
            "recommendations/download.<str:format>",
            views.recommendation_export,
            name="export",
        ),
        path("themes/", views.theme_list, name="theme_list"),
        path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
        path("search/", views.search, name="search"),
    ],
    "recommendations",
)

meeting_urls = (
    [
        path("", meeting_views.meeting_list, name="list"),
        path("<int:ordinal>/", meeting_views.meeting_detail, name="detail"),
    ],
    "meetings",
)

state_urls = (
    [
        path("", state_views.state_list, name="list"),
        path("<str:code>/", state_views.state_detail, name="detail"),
        path("<str:code>/reports/", state_views.state_reports, name="reports"),
        path(
            "<str:code>/profile.<str:file_format>",
            documents.state_profile_download,
            name="profile",
        ),
    ],
    "states",
)

feed_urls = (
    [
        path("recommendations/", feeds.AdoptedRecommendationsFeed(), name="recommendations"),
        path("themes/<slug:slug>/", feeds.ThemeRecommendationsFeed(), name="theme"),
        path("meetings/<int:ordinal>/", feeds.MeetingRecommendationsFeed(), name="meeting"),
        path("states/<str:code>/", feeds.StateReportsFeed(), name="state"),
    ],
    "feeds",
)
