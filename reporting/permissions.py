"""Who may read and write implementation reports: the rules, in one place (roles come from
accounts/roles.py).

Pages, the admin, the API and the importer ask these functions, and the services enforce them
again (raising PermissionDenied, which Django and DRF answer with 403), so a crafted request
can never do what the form would not offer.

- Secretariat staff read everything and write for every State; only they validate or return
  a report, and only they record a report as validated directly (with its source).
- A focal point reads what is published and its own State's unpublished reports, and writes
  only for its own State.
- Everyone else reads what is published: validated reports (and their attachments), never
  the Secretariat's comment on a returned report, which is for the State alone.
- Nobody changes a validated report: a correction is a new report that supersedes it.
"""

from __future__ import annotations

from accounts.roles import (
    can_write_for_state,
    ensure,
    is_focal_point_of,
    is_secretariat,
)

from .models import ImplementationReport, ReportAttachment

ReviewState = ImplementationReport.ReviewState

# A focal point's own work: what it may still change and send for validation.
OPEN_FOR_EDITING = (ReviewState.DRAFT, ReviewState.RETURNED)


def can_read_report(user, report: ImplementationReport) -> bool:
    if report.review_state == ReviewState.VALIDATED:
        return True
    return can_write_for_state(user, report.state_id)


def can_edit_report(user, report: ImplementationReport) -> bool:
    """Staff may also touch up a submitted report before deciding on it."""
    if report.review_state == ReviewState.VALIDATED:
        return False
    if is_secretariat(user):
        return True
    return report.review_state in OPEN_FOR_EDITING and is_focal_point_of(user, report.state_id)


def can_submit_report(user, report: ImplementationReport) -> bool:
    return report.review_state in OPEN_FOR_EDITING and can_write_for_state(user, report.state_id)


def can_review_report(user, report: ImplementationReport) -> bool:
    return is_secretariat(user) and report.review_state == ReviewState.SUBMITTED


def can_correct_report(user, report: ImplementationReport) -> bool:
    return report.review_state == ReviewState.VALIDATED and can_write_for_state(
        user, report.state_id
    )


def can_read_review_comment(user, report: ImplementationReport) -> bool:
    """The Secretariat's comment on a returned report is addressed to the State: only its
    focal points and the Secretariat read it, before and after the report is published (a
    validated report keeps the comment of its last return)."""
    return can_write_for_state(user, report.state_id)


def can_read_attachment(user, attachment: ReportAttachment) -> bool:
    """An attachment is as visible as its report, and no more."""
    return can_read_report(user, attachment.report)


def can_review(user) -> bool:
    return is_secretariat(user)


__all__ = [
    "can_correct_report",
    "can_edit_report",
    "can_read_attachment",
    "can_read_report",
    "can_read_review_comment",
    "can_review",
    "can_review_report",
    "can_submit_report",
    "can_write_for_state",
    "ensure",
    "is_focal_point_of",
    "is_secretariat",
]
