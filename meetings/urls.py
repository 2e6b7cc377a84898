"""Public pages of the Working Group's meetings."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:ordinal>/", views.meeting_detail, name="detail"),
]
