"""`{% secretariat_contact_email as email %}`: the address readers write to the Secretariat at
(settings.SECRETARIAT_CONTACT_EMAIL, blank when none is set). A tag rather than a context
processor, so that the server-error page, rendered without a request, can show it too."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def secretariat_contact_email() -> str:
    return str(getattr(settings, "SECRETARIAT_CONTACT_EMAIL", "") or "")
