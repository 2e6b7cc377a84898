"""Public pages of States: the list and each State's scorecard."""

from django.urls import path

from . import views

app_name = "states"

urlpatterns = [
    path("", views.state_list, name="list"),
    path("<str:code>/", views.state_detail, name="detail"),
]
