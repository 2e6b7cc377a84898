"""Who may read and write implementation reports: the rules, in one place.

Pages, the admin, the API and the importer ask these functions, and the services enforce them
again (raising PermissionDenied, which Django and DRF answer with 403), so a crafted request
can never do what the form would not offer.

- Secretariat staff read everything and write for every State; only they validate or return
  a report, and only they record a report as validated directly (with its source).
- A focal point reads what is published and its own State's unpublished reports, and writes
  only for its own State.
- Everyone else reads what is published: validated reports (and their attachments).
- Nobody changes a validated report: a correction is a new report that supersedes it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import ImplementationReport, ReportAttachment

ReviewState = ImplementationReport.ReviewState

# A focal point's own work: what it may still change and send for validation.
OPEN_FOR_EDITING = (ReviewState.DRAFT, ReviewState.RETURNED)


def is_staff(user) -> bool:
    """Secretariat staff (the accounts' role; cached on the user for the request)."""
    return bool(getattr(user, "is_secretariat", False))


def is_focal_point_of(user, state_id: int | None) -> bool:
    return (
        state_id is not None
        and bool(getattr(user, "is_focal_point", False))
        and user.state_id == state_id
        and not is_staff(user)
    )


def can_write_for_state(user, state_id: int | None) -> bool:
    return is_staff(user) or is_focal_point_of(user, state_id)


def can_read_report(user, report: ImplementationReport) -> bool:
    if report.review_state == ReviewState.VALIDATED:
        return True
    return can_write_for_state(user, report.state_id)


def can_edit_report(user, report: ImplementationReport) -> bool:
    """Staff may also touch up a submitted report before deciding on it."""
    if report.review_state == ReviewState.VALIDATED:
        return False
    if is_staff(user):
        return True
    return report.review_state in OPEN_FOR_EDITING and is_focal_point_of(user, report.state_id)


def can_submit_report(user, report: ImplementationReport) -> bool:
    return report.review_state in OPEN_FOR_EDITING and can_write_for_state(user, report.state_id)


def can_review_report(user, report: ImplementationReport) -> bool:
    return is_staff(user) and report.review_state == ReviewState.SUBMITTED


def can_correct_report(user, report: ImplementationReport) -> bool:
    return report.review_state == ReviewState.VALIDATED and can_write_for_state(
        user, report.state_id
    )


def can_read_attachment(user, attachment: ReportAttachment) -> bool:
    """An attachment is as visible as its report, and no more."""
    return can_read_report(user, attachment.report)


def can_review(user) -> bool:
    return is_staff(user)


def can_read_contact_points(user) -> bool:
    """The directory is for signed-in focal points and staff, not the public."""
    return is_staff(user) or bool(getattr(user, "is_focal_point", False))


def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (403) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))
