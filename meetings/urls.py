from django.urls import path

from wgsom.placeholders import not_built_yet

app_name = "meetings"

urlpatterns = [
    path("", not_built_yet, name="list"),
]
