from django.contrib.auth import views as auth_views
from django.urls import path

from wgsom.placeholders import not_built_yet

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", not_built_yet, name="profile"),
]
