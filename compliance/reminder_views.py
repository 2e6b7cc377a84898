"""The Secretariat's Reminders page: the weekly reminders' schedule, who they would reach now and
what they say, the days after a meeting before they start, and sending them now.

Secretariat staff only. The days are kept in the database (ReminderSettings) through
services.reminder_settings_update; "Send now" asks for a confirmation (e-mails cannot be
called back), then queues the same task as the schedule through services.reminders_send_now,
which never fails when the broker is down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import secretariat_required

from . import selectors, services
from .forms import ReminderSettingsForm

if TYPE_CHECKING:
    from accounts.roles import AuthenticatedHttpRequest

# States the preview lists before "and N more": enough to check, short on a phone.
PREVIEW_LIMIT = 20


def _preview_context(request: HttpRequest, *, days: int | None = None) -> dict[str, Any]:
    preview = selectors.reminder_preview(today=timezone.localdate(), days_after_meeting=days)
    example = None
    if preview.candidates and preview.meeting is not None and preview.due is not None:
        example = services.reminder_message(
            candidate=preview.candidates[0], meeting=preview.meeting, due=preview.due
        )
    schedule = selectors.reminder_schedule()
    user = request.user
    return {
        "preview": preview,
        "recipients": preview.candidates[:PREVIEW_LIMIT],
        "more_recipients": max(len(preview.candidates) - PREVIEW_LIMIT, 0),
        "example": example,
        "message_language": settings.LANGUAGE_CODE,  # reminders go out in it (services.py)
        "schedule": schedule,
        "can_change_schedule": schedule is not None
        and user.is_staff
        and user.has_perm("django_celery_beat.change_periodictask"),
    }


@secretariat_required
def reminders(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The schedule, the preview of the recipients and message, and the days form; a valid
    POST saves the days and comes back here."""
    current = selectors.reminder_settings()
    # Read before the form: an invalid POST can leave its value on the instance.
    days = current.days_after_meeting
    data = request.POST if request.method == "POST" else None
    form = ReminderSettingsForm(data, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reminder_settings_update(
                    days_after_meeting=form.cleaned_data["days_after_meeting"], by=request.user
                )
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                saved_days = form.cleaned_data["days_after_meeting"]
                messages.success(
                    request,
                    ngettext(
                        "Saved: reminders start %(days)s day after a meeting.",
                        "Saved: reminders start %(days)s days after a meeting.",
                        saved_days,
                    )
                    % {"days": localize(saved_days)},
                )
                return redirect("compliance:reminders")
        status = 400
    context = {"form": form, **_preview_context(request, days=days)}
    return render(request, "compliance/reminders/index.html", context, status=status)


@secretariat_required
def reminders_send(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: what sending now would do, and the button that does it. POST: queue the run and
    go back to the Reminders page, which says it is queued. Nothing is sent on a GET."""
    if request.method == "POST":
        services.reminders_send_now(by=request.user)
        messages.success(
            request,
            _(
                "The reminders are queued: they go out in the next minutes, to the States "
                "not yet reminded this week."
            ),
        )
        return redirect("compliance:reminders")
    return render(request, "compliance/reminders/send.html", _preview_context(request))
