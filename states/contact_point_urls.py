from django.urls import path

from . import contact_point_views as views

app_name = "contact_points"

urlpatterns = [
    path("", views.contact_point_list, name="list"),
    path("new/", views.contact_point_add, name="add"),
    path("<int:pk>/edit/", views.contact_point_edit, name="edit"),
    path("<int:pk>/delete/", views.contact_point_delete, name="delete"),
]
