"""Each organization's number of units under it is kept by the database (Organization.child_count, triggers of
migration 0016) in the statement that writes the organizations: the tree, the organization page and the
theme-day figures' branch count read it, and it always equals the count of the organization's children."""

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from grassroots import rollups
from league import services
from league.models import Level, Organization
from tests.factories import OrganizationFactory


def counted() -> dict[int, int]:
    children = dict(
        Organization.objects.filter(parent__isnull=False)
        .order_by()
        .values_list("parent")
        .annotate(n=Count("*"))
    )
    return {pk: children.get(pk, 0) for pk in Organization.objects.values_list("pk", flat=True)}


def kept() -> dict[int, int]:
    return dict(Organization.objects.values_list("pk", "child_count"))


def test_the_world_is_counted(world):
    assert kept() == counted() and kept()[world.county.pk] == 2


def test_created_one_by_one_and_in_bulk(world):
    services.organization_create(by=world.users["county"], code="ZJ-NB-YZ-NEW", name="新街道",
                                 level=Level.STREET, parent=world.county)  # fmt: skip
    OrganizationFactory(parent=world.zhonghe)
    Organization.objects.bulk_create(
        [
            Organization(code=f"B{i}", name=f"支部{i}", level=Level.GRASSROOTS, parent=world.shounan)
            for i in range(30)
        ]
    )
    assert kept() == counted() and kept()[world.shounan.pk] == 31 and kept()[world.county.pk] == 3


def test_moving_a_unit_moves_one_from_its_old_parent_to_the_new(world):
    before = kept()
    world.zhonghe.parent = world.other_county_org
    world.zhonghe.save()
    Organization.objects.filter(pk=world.shounan_branch.pk).update(parent=world.zhonghe)
    assert (
        kept()
        == counted()
        == {
            **before,
            world.county.pk: before[world.county.pk] - 1,
            world.other_county_org.pk: before[world.other_county_org.pk] + 1,
            world.shounan.pk: before[world.shounan.pk] - 1,
            world.zhonghe.pk: before[world.zhonghe.pk] + 1,
        }
    )


def test_edits_change_no_count(world):
    before = kept()
    Organization.objects.filter(path__startswith=world.county.path).update(name="改名")
    services.organization_update(organization=world.county, by=world.users["county"],
                                 expected_version=world.county.version, name="团鄞州区委（改）",
                                 kind=world.county.kind, domain=world.county.domain)  # fmt: skip
    assert kept() == counted() == before


def test_a_stale_copy_saved_does_not_write_its_count(world):
    stale = Organization.objects.get(pk=world.zhonghe.pk)
    OrganizationFactory(parent=world.zhonghe)
    stale.name = "改名"
    stale.save()
    assert kept() == counted() and kept()[world.zhonghe.pk] == 2


def test_deleted(world):
    world.zhonghe_branch.delete()
    Organization.objects.filter(pk=world.shounan_branch.pk).delete()
    assert kept() == counted() and kept()[world.zhonghe.pk] == kept()[world.shounan.pk] == 0


def test_a_rolled_back_write_leaves_the_counts(world):
    before = kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        OrganizationFactory(parent=world.zhonghe)
        world.shounan_branch.delete()
        raise RuntimeError
    assert kept() == before == counted()


def test_a_branch_with_a_unit_under_it_is_no_longer_counted_as_a_branch(world):
    """The theme-day figures count branches by the kept count: a branch given a unit under it stops being one
    (its unit is one), and is one again when the unit leaves; as the ORM's branches_within counts them."""
    month = rollups.first_of_month(timezone.localdate())

    def branches():
        rate = rollups.theme_day_rate(world.county, month).branches
        assert rate == rollups.branches_within(world.county).count()
        return rate

    before = branches()
    nested = OrganizationFactory(parent=world.zhonghe_branch)
    assert branches() == before
    OrganizationFactory(parent=world.zhonghe_branch)
    assert branches() == before + 1
    Organization.objects.filter(parent=world.zhonghe_branch).update(parent=world.shounan)
    assert branches() == before + 2
    nested.delete()
    assert branches() == before + 1
