"""`python manage.py add_user EMAIL --role secretariat|focal-point [--state ISO3]`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from accounts.services import ROLE_FOCAL_POINT, ROLES, user_create


class Command(BaseCommand):
    help = (
        "Provision an account for Secretariat staff or a State focal point. The user receives "
        "an e-mail with a link to choose a password; no password is ever passed here."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument(
            "--state", help="ISO 3166-1 alpha-3 code of a focal point's State (e.g. AUT)."
        )

    def handle(self, *args, email: str, role: str, state: str | None, **options) -> None:
        bound_state = None
        if state:
            code = state.strip().upper()
            # The State model is a layer above accounts: the user's own relation names it.
            states = User._meta.get_field("state").related_model._default_manager
            bound_state = states.filter(Q(code=code) | Q(iso3=code)).first()
            if bound_state is None:
                raise CommandError(f"No State has the code {code!r}.")
        elif role == ROLE_FOCAL_POINT:
            raise CommandError("A focal point needs --state with the State's ISO3 code.")
        try:
            user = user_create(email=email, role=role, state=bound_state)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(message for messages in exc.message_dict.values() for message in messages)
            ) from exc
        where = f" for {user.state.name}" if user.state else ""
        self.stdout.write(
            f"Created {role} account {user.email}{where}; a link to choose a password was e-mailed."
        )
