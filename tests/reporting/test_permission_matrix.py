"""Every role against every reporting view and action, attachment downloads included.

Roles: anonymous; the focal point of the report's State; the focal point of another State;
Secretariat staff; a signed-in reader with no role. Outcomes: OK (the page, or the action
done and a redirect), LOGIN (asked to sign in), DENIED (403, nothing done), HIDDEN (404, as
for a report that does not exist: another State's unpublished reports are not confirmed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import ImplementationReport
from states.models import ContactPoint
from tests.factories import ContactPointFactory, ImplementationReportFactory
from tests.reporting.files import pdf_bytes, upload

ROLES = ("anonymous", "own_focal_point", "other_focal_point", "staff", "reader")
OK, LOGIN, DENIED, HIDDEN = "ok", "login", "denied", "hidden"


@dataclass
class World:
    state: object
    recommendation: object
    draft: ImplementationReport
    submitted: ImplementationReport
    validated: ImplementationReport
    draft_attachment: object
    validated_attachment: object
    contact_point: ContactPoint


@pytest.fixture
def world(focal_point, staff, state, recommendation, other_focal_point):
    def new_draft():
        return services.implementation_report_create(
            by=focal_point,
            state=state,
            recommendation=recommendation,
            status="in_progress",
            as_of="2024-01-01",
            attachments=[upload("plan.pdf", pdf_bytes())],
        )

    draft = new_draft()
    submitted = services.implementation_report_submit(report=new_draft(), by=focal_point)
    validated = ImplementationReportFactory(state=state, recommendation=recommendation)
    report_with_public_file = services.implementation_report_create(
        by=staff,
        state=state,
        recommendation=recommendation,
        status="implemented",
        as_of="2023-01-01",
        source="questionnaire",
        attachments=[upload("public.pdf", pdf_bytes())],
        validate=True,
    )
    return World(
        state=state,
        recommendation=recommendation,
        draft=draft,
        submitted=submitted,
        validated=validated,
        draft_attachment=draft.attachments.get(),
        validated_attachment=report_with_public_file.attachments.get(),
        contact_point=ContactPointFactory(state=state),
    )


def report_form(world: World, **extra) -> dict:
    return {
        "state": world.state.code,
        "recommendation": world.recommendation.pk,
        "status": "implemented",
        "as_of": "2024-02-01",
        "source": "questionnaire",
        **extra,
    }


# name: (request, expected outcome for each role in ROLES order)
ACTIONS = {
    "my State page": (
        lambda c, w: c.get(reverse("reporting:my_state")),
        (LOGIN, OK, OK, OK, DENIED),
    ),
    "the State's reporting page": (
        lambda c, w: c.get(reverse("reporting:state", args=[w.state.code])),
        (LOGIN, OK, DENIED, OK, DENIED),
    ),
    "new report form": (
        lambda c, w: c.get(reverse("reporting:report_new")),
        (LOGIN, OK, OK, OK, DENIED),
    ),
    "create a report for the State": (
        lambda c, w: c.post(reverse("reporting:report_new"), report_form(w)),
        (LOGIN, OK, DENIED, OK, DENIED),
    ),
    "read a draft": (
        lambda c, w: c.get(reverse("reporting:report_detail", args=[w.draft.pk])),
        (LOGIN, OK, HIDDEN, OK, HIDDEN),
    ),
    "read a submitted report": (
        lambda c, w: c.get(reverse("reporting:report_detail", args=[w.submitted.pk])),
        (LOGIN, OK, HIDDEN, OK, HIDDEN),
    ),
    "read a validated report": (
        lambda c, w: c.get(reverse("reporting:report_detail", args=[w.validated.pk])),
        (OK, OK, OK, OK, OK),
    ),
    "edit form of a draft": (
        lambda c, w: c.get(reverse("reporting:report_edit", args=[w.draft.pk])),
        (LOGIN, OK, HIDDEN, OK, DENIED),
    ),
    "save a draft": (
        lambda c, w: c.post(
            reverse("reporting:report_edit", args=[w.draft.pk]),
            {**report_form(w), "version": w.draft.version},
        ),
        (LOGIN, OK, HIDDEN, OK, DENIED),
    ),
    "edit a validated report": (
        lambda c, w: c.get(reverse("reporting:report_edit", args=[w.validated.pk])),
        (LOGIN, DENIED, DENIED, DENIED, DENIED),
    ),
    "submit a draft": (
        lambda c, w: c.post(reverse("reporting:report_submit", args=[w.draft.pk])),
        (LOGIN, OK, HIDDEN, OK, DENIED),
    ),
    "validate a submitted report": (
        lambda c, w: c.post(reverse("reporting:report_validate", args=[w.submitted.pk])),
        (LOGIN, DENIED, DENIED, OK, DENIED),
    ),
    "return a submitted report": (
        lambda c, w: c.post(
            reverse("reporting:report_return", args=[w.submitted.pk]), {"comment": "Why?"}
        ),
        (LOGIN, DENIED, DENIED, OK, DENIED),
    ),
    "decide on a submitted report": (
        lambda c, w: c.post(
            reverse("reporting:report_review", args=[w.submitted.pk]),
            {"decision": "return", "comment": "Why?"},
        ),
        (LOGIN, DENIED, DENIED, OK, DENIED),
    ),
    "confirm the validation of a submitted report": (
        lambda c, w: c.post(
            reverse("reporting:report_review_confirm", args=[w.submitted.pk]),
            {"decision": "validate", "version": w.submitted.version},
        ),
        (LOGIN, DENIED, DENIED, OK, DENIED),
    ),
    "download a draft's attachment": (
        lambda c, w: c.get(reverse("reporting:attachment", args=[w.draft_attachment.pk])),
        (LOGIN, OK, HIDDEN, OK, HIDDEN),
    ),
    "download a validated report's attachment": (
        lambda c, w: c.get(reverse("reporting:attachment", args=[w.validated_attachment.pk])),
        (OK, OK, OK, OK, OK),
    ),
    "review queue": (
        lambda c, w: c.get(reverse("reporting:review_queue")),
        (LOGIN, DENIED, DENIED, OK, DENIED),
    ),
    "bulk entry": (
        lambda c, w: c.get(reverse("reporting:bulk_entry")),
        (LOGIN, DENIED, DENIED, OK, DENIED),
    ),
    "import": (
        lambda c, w: c.get(reverse("reporting:import")),
        (LOGIN, DENIED, DENIED, OK, DENIED),
    ),
    "contact points directory": (
        lambda c, w: c.get(reverse("contact_points:list")),
        (LOGIN, OK, OK, OK, DENIED),
    ),
    "add a contact point": (
        lambda c, w: c.post(
            reverse("contact_points:add"),
            {"state": w.state.code, "kind": "contact_point", "authority": "Border police"},
        ),
        (LOGIN, OK, OK, OK, DENIED),
    ),
    "edit the State's contact point": (
        lambda c, w: c.post(
            reverse("contact_points:edit", args=[w.contact_point.pk]),
            {"kind": "national_authority", "authority": "Ministry of Justice"},
        ),
        (LOGIN, OK, DENIED, OK, DENIED),
    ),
    "remove the State's contact point": (
        lambda c, w: c.post(reverse("contact_points:delete", args=[w.contact_point.pk])),
        (LOGIN, OK, DENIED, OK, DENIED),
    ),
}

CASES = [
    pytest.param(action, role, expected[index], id=f"{action} | {role}")
    for action, (_request, expected) in ACTIONS.items()
    for index, role in enumerate(ROLES)
]


def outcome(response) -> str:
    if response.status_code == 403:
        return DENIED
    if response.status_code == 404:
        return HIDDEN
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    if response.status_code in (200, 302):
        return OK
    raise AssertionError(f"unexpected {response.status_code}: {response.content[:300]!r}")


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(client, world, request, action, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role.removeprefix("own_")))
    reports_before = list(
        ImplementationReport.objects.order_by("pk").values_list("pk", "version", "review_state")
    )
    contact_points_before = list(ContactPoint.objects.order_by("pk").values())
    response = ACTIONS[action][0](client, world)
    assert outcome(response) == expected
    if expected != OK:
        # A refusal writes nothing.
        assert reports_before == list(
            ImplementationReport.objects.order_by("pk").values_list("pk", "version", "review_state")
        )
        assert contact_points_before == list(ContactPoint.objects.order_by("pk").values())


def test_the_matrix_covers_every_reporting_and_contact_point_url():
    from reporting import urls as reporting_urls
    from states import contact_point_urls

    names = {p.name for p in reporting_urls.urlpatterns + contact_point_urls.urlpatterns}
    covered = {
        "my_state",
        "state",
        "report_new",
        "report_detail",
        "report_edit",
        "report_submit",
        "report_validate",
        "report_return",
        "report_review",
        "report_review_confirm",
        "attachment",
        "review_queue",
        "bulk_entry",
        "import",
        "list",
        "add",
        "edit",
        "delete",
    }
    # import_confirm and import_job are covered by the import tests (they need a previewed
    # file, and a job its confirmation queued).
    assert names - covered == {"import_confirm", "import_job"}


def test_a_focal_point_posting_another_states_code_is_refused_whatever_the_form_says(
    client, focal_point, other_state, recommendation
):
    client.force_login(focal_point)
    response = client.post(
        reverse("reporting:report_new"),
        {
            "state": other_state.code,
            "recommendation": recommendation.pk,
            "status": "implemented",
            "as_of": "2024-02-01",
        },
    )
    assert response.status_code == 403
    assert not ImplementationReport.objects.filter(state=other_state).exists()


def test_a_focal_point_adds_contact_points_only_to_its_own_state(
    client, focal_point, state, other_state
):
    client.force_login(focal_point)
    client.post(
        reverse("contact_points:add"),
        {"state": other_state.code, "kind": "contact_point", "authority": "Coast guard"},
    )
    assert ContactPoint.objects.get(authority="Coast guard").state == state


def _page_of(response) -> str:
    """A 404 page without what differs between any two requests of it: the CSRF token of its
    language form (masked afresh each time) and the address it was asked for (the form's
    `next`)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", text)
    return re.sub(r'name="next" value="[^"]*"', "next", text)


@pytest.mark.parametrize(
    "address",
    [
        "reporting:report_detail",
        "reporting:report_edit",
        "reporting:attachment",
    ],
)
def test_another_states_unpublished_report_answers_as_a_missing_one(
    client, world, other_focal_point, address
):
    client.force_login(other_focal_point)
    target = world.draft_attachment.pk if address == "reporting:attachment" else world.draft.pk

    hidden = client.get(reverse(address, args=[target]))
    missing = client.get(reverse(address, args=[999_999]))

    assert hidden.status_code == missing.status_code == 404
    assert _page_of(hidden) == _page_of(missing)


def test_a_correction_of_an_unpublished_report_is_refused_as_of_a_missing_one(
    client, world, other_focal_point
):
    client.force_login(other_focal_point)
    new = reverse("reporting:report_new")

    hidden = client.get(new, {"corrects": world.draft.pk})
    missing = client.get(new, {"corrects": 999_999})
    nonsense = client.get(new, {"corrects": "abc"})

    assert hidden.status_code == missing.status_code == nonsense.status_code == 404
    assert _page_of(hidden) == _page_of(missing)
