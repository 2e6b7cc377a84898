from django.urls import path

from wgsom.placeholders import not_built_yet

app_name = "contact_points"

urlpatterns = [
    path("", not_built_yet, name="list"),
]
