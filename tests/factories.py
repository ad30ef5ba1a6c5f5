"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from league.models import Domain, Kind, Level, Membership, Notice, Organization, Region, Role

PASSWORD = "league-demo"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ORG-{n}")
    name = factory.Sequence(lambda n: f"测试组织{n}")
    level = Level.GRASSROOTS
    kind = Kind.BRANCH
    domain = Domain.URBAN_STREET
    parent = None


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    organization = factory.SubFactory(OrganizationFactory, level=Level.STREET, kind=Kind.WORKING_COMMITTEE)
    name = factory.Sequence(lambda n: f"第{n}片区")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.STAFF


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"通知{n}")


# --- lineups ------------------------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from league.models import Establishment, Person, Seat, SeatRole, Term  # noqa: E402


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"青年{n}")
    gender = "f"
    birth_date = _dt.date(1995, 5, 4)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    organization = factory.SubFactory(OrganizationFactory, level=Level.STREET, kind=Kind.WORKING_COMMITTEE)
    number = factory.Sequence(lambda n: n + 1)
    start = _dt.date(2024, 1, 1)
    end = _dt.date(2029, 1, 1)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    term = factory.SubFactory(TermFactory)
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..term.organization"))
    role = SeatRole.MEMBER
    establishment = Establishment.OUTSIDE
    start = factory.SelfAttribute("term.start")


def full_lineup(term, deputies=3, members=6, outside_deputies=1, start=None):
    """Fill a term with 1 secretary, `deputies` deputies (`outside_deputies` out of establishment) and
    `members` members, directly (tests of reading code); returns the seats."""
    start = start or term.start
    seats = [SeatFactory(term=term, role=SeatRole.SECRETARY, establishment=Establishment.INSIDE, start=start)]
    for i in range(deputies):
        est = Establishment.OUTSIDE if i < outside_deputies else Establishment.INSIDE
        seats.append(SeatFactory(term=term, role=SeatRole.DEPUTY, establishment=est, start=start))
    seats += [SeatFactory(term=term, role=SeatRole.MEMBER, start=start) for _ in range(members)]
    return seats
