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
