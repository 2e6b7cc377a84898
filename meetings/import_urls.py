from django.urls import path

from wgsom.placeholders import not_built_yet

app_name = "report_import"

urlpatterns = [
    path("", not_built_yet, name="upload"),
]
