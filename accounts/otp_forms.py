"""The forms of the second factor and of confirming one's identity (accounts/otp_views.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import second_factor_device, second_factor_verify


class CodeForm(forms.Form):
    """One code: of the authenticator app (setup, verification) or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args: Any, hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hint:
            self.fields["code"].help_text = hint


class ConfirmIdentityForm(forms.Form):
    """The password again, or a code of the user's second factor."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Or a code from your authenticator app"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user
        if second_factor_device(user=user) is None:
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password") or ""
        code = (data.get("code") or "").strip()
        if not password and not code:
            raise ValidationError(_("Enter your password, or a code from your authenticator app."))
        if password:
            # authenticate(), not check_password: failures count towards the account's lock,
            # as on the sign-in page.
            user = authenticate(self.request, username=self.user.get_username(), password=password)
            if user is None or user.pk != self.user.pk:
                self.add_error("password", _("This password is not right."))
            return data
        try:
            second_factor_verify(user=self.user, code=code)
        except ValidationError as exc:
            self.add_error("code", exc.message_dict["code"])
        return data
