"""`python manage.py reset_second_factor EMAIL --by EMAIL`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from accounts.services import second_factor_reset


def _user(identifier: str) -> User:
    user = User.objects.filter(Q(email__iexact=identifier) | Q(username__iexact=identifier)).first()
    if user is None:
        raise CommandError(f"No account has the e-mail address or username {identifier!r}.")
    return user


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes (a lost phone, say): they set up "
        "a new app at their next sign-in. --by names the colleague who checked it was them; "
        "the audit log keeps both."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The account whose second factor is reset.")
        parser.add_argument(
            "--by", required=True, help="The e-mail address of the colleague doing it."
        )

    def handle(self, *args, email: str, by: str, **options) -> None:
        user = _user(email)
        colleague = _user(by)
        if colleague.pk == user.pk:
            raise CommandError("A colleague resets a second factor, not its owner.")
        if second_factor_reset(user=user, by=colleague):
            self.stdout.write(f"Reset the second factor of {user.get_username()}.")
        else:
            self.stdout.write(f"{user.get_username()} had no second factor; nothing removed.")
