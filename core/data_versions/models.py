from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """When the data of one app (`name`, its label: "recommendations") last changed: written
    in the transaction of the change, read (a row per app) for the API's Last-Modified."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.name} {self.changed_at.isoformat()}"
