"""Builders of grassroots records for tests (plain functions over the services where a rule applies)."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots import services
from grassroots.models import (
    CoverageGap,
    ReformMeasure,
    ServiceProject,
    ThemeDayItem,
    ThemeDayPhoto,
    ValueType,
    YouthHome,
    YouthOfficer,
)

# The smallest valid PNG (1x1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def png_upload(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def seven_items():
    return list(ThemeDayItem.objects.filter(active=True))


def theme_day(branch, *, held_on=None, present=8, total=10, items=None, photos=()):
    return services.theme_day_record(
        by=None, branch=branch, held_on=held_on or timezone.localdate(), members_present=present,
        members_total=total, items=seven_items() if items is None else items, photos=photos,
    )  # fmt: skip


def photo(theme_day_obj) -> ThemeDayPhoto:
    services.theme_day_record(
        by=None, branch=theme_day_obj.organization, held_on=theme_day_obj.held_on,
        members_present=theme_day_obj.members_present, members_total=theme_day_obj.members_total,
        items=theme_day_obj.items.all(), photos=[png_upload()],
    )  # fmt: skip
    return theme_day_obj.photos.latest("id")


def officer(org, name="陈思远", started_on=datetime.date(2021, 12, 1)) -> YouthOfficer:
    return services.officer_appoint(by=None, organization=org, name=name, started_on=started_on)


def handover(org):
    outgoing = officer(org, "周明轩")
    successor = services.officer_appoint(
        by=None, organization=org, name="郑晓雯", started_on=timezone.localdate(), replacing=outgoing
    )
    return successor.incoming_handovers.get()


def measure(org, value_type=ValueType.YUAN, target="25万", year=2021) -> ReformMeasure:
    return services.measure_create(
        by=None, organization=org, lack="policy", title="新增改革试点专项财政经费", indicator="专项经费(元)",
        year=year, value_type=value_type, target=target,
    )  # fmt: skip


def home(org, name="罗塘街道青年之家专营店") -> YouthHome:
    return services.youth_home_register(
        by=None, organization=org, name=name, tier="specialty", address="党群服务中心"
    )


def project(org, name="溱湖湿地使者") -> ServiceProject:
    return services.project_create(by=None, organization=org, name=name, is_brand=True)


def gap(org, name="某民办学校") -> CoverageGap:
    return services.gap_add(
        by=None, organization=org, name=name, kind="民办学校", found_on=datetime.date(2019, 5, 1)
    )


def funding(org, population, amount, year=None):
    return services.funding_record(
        by=None, organization=org, year=year or timezone.localdate().year, youth_population=population,
        amount_yuan=Decimal(amount),
    )  # fmt: skip
