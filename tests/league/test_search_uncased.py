"""A search text without cased characters (Chinese, digits) is asked as a plain LIKE, not UPPER(..) LIKE UPPER(..):
the same organizations and people as the case-insensitive lookups it replaces."""

import pytest
from django.db.models import Q

from league.models import Organization, Person
from league.models.tree import uncased
from tests.factories import OrganizationFactory, PersonFactory

TEXTS = ["街道", "中河", "12", "ZJ-NB", "zj-nb", "团Ab", "ß", "İ", "ǅ", "%", "_", "街道_", "无此"]


def test_which_texts_are_uncased():
    assert uncased("街道") and uncased("12-3") and uncased("%_")
    assert not any(uncased(t) for t in ("a", "ZJ", "团Ab", "ß", "İ", "ǅ", "ﬁ"))


@pytest.fixture
def named(world):
    for i, name in enumerate(
        ["Abc街道", "abc街道团委", "STRASSE街道", "straße", "İstanbul", "ǅemal", "中河_12%街道"]
    ):
        org = OrganizationFactory(parent=world.zhonghe, code=f"UC-{i}", name=name)
        PersonFactory(organization=org, name=name, employer=f"{name}公司", phone=f"1380000{i:04d}")
    OrganizationFactory(parent=world.zhonghe, code="12", name="代码为数字")
    return world


@pytest.mark.parametrize("text", TEXTS)
def test_organizations_found_as_icontains_finds_them(named, text):
    found = set(Organization.objects.search(text).values_list("pk", flat=True))
    expected = Organization.objects.filter(Q(name__icontains=text) | Q(code__iexact=text))
    assert found == set(expected.values_list("pk", flat=True))


@pytest.mark.parametrize("text", TEXTS)
def test_people_found_as_icontains_finds_them(named, text):
    found = set(Person.objects.search(text).values_list("pk", flat=True))
    expected = Person.objects.filter(Q(name__icontains=text) | Q(employer__icontains=text) | Q(phone=text))
    assert found == set(expected.values_list("pk", flat=True))


def test_an_uncased_search_asks_a_plain_like(db):
    plain = Organization.objects.filter(Q(name__contains="街道") | Q(code="街道"))
    assert str(Organization.objects.search("街道").query) == str(plain.query)
    insensitive = Organization.objects.filter(Q(name__icontains="Abc") | Q(code__iexact="Abc"))
    assert str(Organization.objects.search("Abc").query) == str(insensitive.query)


def test_postgresql_finds_a_name_by_its_trigrams(named):
    """Migration 0015: on PostgreSQL a search by a name of three characters or more can be an index lookup."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL index (pg_trgm)")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the tables of a test are too small to prefer it
        sql, params = Organization.objects.search("中河_12").order_by().values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "org_name_trgm" in plan, plan
    assert [o.name for o in Organization.objects.search("中河_12")] == ["中河_12%街道"]
