"""Public pages of recommendations and themes, and the site-wide search."""

from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
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
]
