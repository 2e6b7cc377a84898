from django.urls import path

from wgsom.placeholders import not_built_yet

app_name = "compliance"

urlpatterns = [
    path("", not_built_yet, name="summary"),
]
