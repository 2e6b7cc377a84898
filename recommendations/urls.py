from django.urls import path

from wgsom.placeholders import not_built_yet

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", not_built_yet, name="list"),
]
