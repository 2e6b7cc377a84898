"""factory_boy factories: test data made in the test, not loaded from fixture files."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from meetings.models import AgendaItem, Document, Meeting
from recommendations.models import Recommendation, Theme
from reporting.models import ImplementationReport
from reporting.services import current_status_refresh
from states.models import RegionalGroup, State


class RegionalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n} States")
    abbreviation = factory.Sequence(lambda n: f"G{n}")


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State

    # Codes from ISO 3166-1's user-assigned range XAA-XZZ, so that they never collide with a
    # real State of the reference data; user-assigned alpha-2 codes are too few to share out.
    code = factory.Sequence(lambda n: f"X{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    iso3 = factory.SelfAttribute("code")
    iso2 = None
    name = factory.Sequence(lambda n: f"Republic of Testland {n}")
    kind = State.Kind.MEMBER_STATE
    regional_group = factory.SubFactory(RegionalGroupFactory)
    protocol_status = State.ProtocolStatus.PARTY


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    ordinal = factory.Sequence(lambda n: 100 + n)
    year = 2030
    start_date = datetime.date(2030, 9, 1)
    end_date = datetime.date(2030, 9, 2)
    venue = "Vienna"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Faker("sentence")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")
    key_topics = factory.LazyFunction(lambda: ["topic one", "topic two"])


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    symbol = factory.Sequence(lambda n: f"CTOC/COP/WG.7/2030/{n}")
    title = factory.Faker("sentence")
    kind = Document.Kind.BACKGROUND_PAPER
    meeting = factory.SubFactory(MeetingFactory)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    label = factory.Sequence(lambda n: str(n + 1))
    text = "States parties should share information on smuggling routes."
    status = Recommendation.Status.ADOPTED
    addressee = Recommendation.Addressee.STATES_PARTIES
    strength = Recommendation.Strength.SHOULD

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class SuperuserFactory(UserFactory):
    """A Django superuser (staff too): Secretariat staff by the roles, but in no group."""

    is_staff = True
    is_superuser = True


class ImplementationReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImplementationReport

    state = factory.SubFactory(StateFactory)
    recommendation = factory.SubFactory(RecommendationFactory)
    status = "implemented"
    as_of = datetime.date(2024, 1, 15)
    source = ImplementationReport.Source.QUESTIONNAIRE
    review_state = ImplementationReport.ReviewState.VALIDATED
    validated_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Written past the services, so the pair's current status is kept as they keep it.
        report = super()._create(model_class, *args, **kwargs)
        if report.review_state == ImplementationReport.ReviewState.VALIDATED:
            current_status_refresh(
                state_id=report.state_id, recommendation_id=report.recommendation_id
            )
        return report


# --- Implementation reports and the people who write them -----------------------------------


class FocalPointFactory(UserFactory):
    """A State's focal point: a user bound to one State."""

    state = factory.SubFactory(StateFactory)


class SecretariatUserFactory(UserFactory):
    """Secretariat staff: a member of the Secretariat group (not a superuser)."""

    is_staff = True

    @factory.post_generation
    def secretariat(self, create, extracted, **kwargs):
        if create:
            from django.conf import settings
            from django.contrib.auth.models import Group

            group, _ = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP_NAME)
            self.groups.add(group)


class DraftReportFactory(ImplementationReportFactory):
    """A focal point's draft: not validated, so not public."""

    source = ImplementationReport.Source.FOCAL_POINT
    review_state = ImplementationReport.ReviewState.DRAFT
    validated_at = None


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "states.ContactPoint"

    state = factory.SubFactory(StateFactory)
    kind = "contact_point"
    authority = factory.Sequence(lambda n: f"Ministry of the Interior, office {n}")
    name = "A. Person"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


# --- Meetings: organizations, attendance and statements ---------------------------------------


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Organization"

    name = factory.Sequence(lambda n: f"Test Organization {n}")
    kind = "intergovernmental"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Participation"

    meeting = factory.SubFactory(MeetingFactory)
    capacity = "party"
    state = factory.SubFactory(StateFactory)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Statement"
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    kind = "national"
    state = factory.SubFactory(StateFactory)
    order = factory.Sequence(lambda n: n + 1)
    summary = "A statement."

    @factory.post_generation
    def agenda_items(self, create, extracted, **kwargs):
        if create and extracted:
            self.agenda_items.set(extracted)
