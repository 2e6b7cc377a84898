from django.urls import path

from wgsom.placeholders import not_built_yet

app_name = "reporting"

urlpatterns = [
    path("my-state/", not_built_yet, name="my_state"),
    path("review/", not_built_yet, name="review_queue"),
]
