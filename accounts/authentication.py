"""The REST API's token authentication: DRF's scheme (`Authorization: Token <key>`, a 401
with `WWW-Authenticate: Token` when refused) over accounts.ApiToken, whose keys are stored
hashed, expire and can be revoked."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import ApiTokenRefused, api_token_authenticate


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """DRF's TokenAuthentication, with the key checked by accounts.services.

    A subclass, so drf-spectacular still documents the scheme as Token authentication and
    DRF keeps parsing the header and naming the challenge as it always has.
    """

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        try:
            token = api_token_authenticate(key=key)
        except ApiTokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return token.user, token
