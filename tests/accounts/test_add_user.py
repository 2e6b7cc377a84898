"""`manage.py add_user`: accounts are provisioned without a password; the owner chooses one
through the e-mailed link."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory


def add_user(*args: str) -> None:
    call_command("add_user", *args)


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body).group(0)


@pytest.mark.django_db(transaction=True)
def test_a_secretariat_account_gets_the_role_and_a_link_to_choose_a_password(wgsom):
    add_user("Maria.Staff@UNODC.example", "--role", "secretariat")
    user = User.objects.get(email="Maria.Staff@unodc.example")
    assert not user.has_usable_password()
    assert user.is_staff and user.is_secretariat and not user.is_focal_point
    assert user.groups.filter(name=settings.SECRETARIAT_GROUP_NAME).exists()
    # The e-mail is queued on commit; this test commits.
    assert [message.to for message in mail.outbox] == [["Maria.Staff@unodc.example"]]
    assert "Secretariat staff" in mail.outbox[0].body

    # The link lets the owner choose a password, once, and then sign in with it.
    client = Client()
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-chosen-passphrase", "new_password2": "a-long-chosen-passphrase"},
    )
    assert done.status_code == 302
    signed_in = Client().post(
        "/accounts/login/",
        {"username": "Maria.Staff@unodc.example", "password": "a-long-chosen-passphrase"},
    )
    assert signed_in.status_code == 302
    assert not Client().get(link_in(mail.outbox[0]), follow=True).context["validlink"]


def test_a_focal_point_is_bound_to_the_state_given_by_its_iso3_code(
    wgsom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_user("focal@bmi.gv.example", "--role", "focal-point", "--state", "aut")
    user = User.objects.get(email="focal@bmi.gv.example")
    assert user.state.name == "Austria"
    assert user.is_focal_point and not user.is_staff and not user.is_secretariat
    assert "focal point of Austria" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x@example.org", "--role", "focal-point"], "A focal point needs --state"),
        (["x@example.org", "--role", "focal-point", "--state", "ZZZ"], "No State has the code"),
        (["not-an-address", "--role", "secretariat"], "is not an e-mail address"),
        (["x@example.org", "--role", "secretariat", "--state", "AUT"], "not bound to a State"),
        (["x@example.org", "--role", "admin"], "invalid choice"),
    ],
)
def test_bad_input_stops_with_one_readable_line_and_creates_nothing(wgsom, args, message):
    with pytest.raises(CommandError, match=message):
        add_user(*args)
    assert not User.objects.filter(email=args[0]).exists()
    assert mail.outbox == []


def test_an_existing_address_is_refused(db):
    UserFactory(username="taken", email="taken@example.org")
    with pytest.raises(CommandError, match="already exists"):
        add_user("TAKEN@example.org", "--role", "secretariat")


def test_no_password_can_be_passed_on_the_command_line(db):
    with pytest.raises(CommandError, match="unrecognized arguments"):
        add_user("x@example.org", "--role", "secretariat", "--password", "secret")


def test_the_secretariat_group_has_the_admin_permissions_but_never_deletes_reports(db):
    group = Group.objects.get(name=settings.SECRETARIAT_GROUP_NAME)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_recommendation", "add_implementationreport", "change_contactpoint"} <= (
        codenames
    )
    assert "delete_implementationreport" not in codenames
    assert "change_user" not in codenames  # accounts are the superusers' business
