"""Serializer fields that keep the API's contract where Django's storage differs from it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class OptionalURLField(serializers.URLField):
    """A URL that may be absent: served as `null`, never as `""` (which is not a URL).

    Django stores an absent URL as an empty string (`blank=True`, no NULL), and a strict
    client that reads `format: uri` refuses `""`. Writes accept `""` or `null` as "no link".
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return value or None

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        # "No link", however it is written, is stored as Django stores it.
        if data in ("", None):
            return True, ""
        return super().validate_empty_values(data)


class OptionalChoiceField(serializers.ChoiceField):
    """A read-only choice that may be unset: served as `null`, never as `""` (which is not
    one of the choices a client's enum knows)."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(choices, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value) if value else None
