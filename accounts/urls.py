"""Signing in and out, the profile, and Django's password change and reset pages.

Template names are given explicitly: the admin app ships templates under the same
`registration/` names, and it comes first in INSTALLED_APPS.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import otp_views, token_views, views
from .forms import PasswordSetOrResetForm, SignInForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path(
        "logout/",
        auth_views.LogoutView.as_view(template_name="accounts/logged_out.html"),
        name="logout",
    ),
    path("profile/", views.profile, name="profile"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=PasswordSetOrResetForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

# The profile page's buttons that create and revoke the user's REST API tokens.
urlpatterns += [
    path("tokens/create/", token_views.token_create, name="api_token_create"),
    path("tokens/revoke/", token_views.token_revoke, name="api_token_revoke"),
]

# The second factor of staff accounts, and confirming one's identity before a sensitive step.
urlpatterns += [
    path("two-factor/setup/", otp_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", otp_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", otp_views.recovery_codes, name="two_factor_recovery_codes"),
    path("confirm-identity/", otp_views.confirm_identity, name="confirm_identity"),
]
