"""The REST API, version 1: each app's API views are registered here."""

app_name = "api"

urlpatterns: list = []
