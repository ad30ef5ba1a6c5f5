"""The organization page's rows of the units under it, written in one pass (league_rows.child_rows), are the
bytes its {% for %} loop wrote, in both languages, with and without regions, and for a unit with none under it."""

import pytest
from django.template import Context, Template
from django.utils import translation

from league.models import Region
from tests.factories import OrganizationFactory

CHILD_LOOP = """{% load i18n %}<tbody>
        {% for child in children_page %}
          <tr><td><a href="{{ child.detail_url }}">{{ child.name }}</a></td><td>{{ child.kind_label }}</td><td>{{ child.region.name|default:"—" }}</td><td class="text-end">{{ child.child_count }}</td></tr>
        {% empty %}
          <tr><td colspan="4" class="text-muted">{% translate "No units under this organization." %}</td></tr>
        {% endfor %}
        </tbody>"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_child_rows_are_the_loops_bytes(world, client_for, language):
    region = Region.objects.create(organization=world.zhonghe, name="一片区 & <二片区>")
    OrganizationFactory(parent=world.zhonghe, code="ZH-02", name="中河<第二>社区 & 团支部", region=region)
    OrganizationFactory(parent=world.zhonghe, code="ZH-03", name="中河第三社区", region=Region.objects.create(
        organization=world.zhonghe, name=""))  # fmt: skip
    client = client_for("county")
    client.cookies["django_language"] = language
    seen = []
    for organization in (
        world.zhonghe,
        world.county,
        world.zhonghe_branch,
    ):  # regions; none; no unit under it
        response = client.get(f"/orgs/{organization.pk}/")
        body = response.content.decode()
        with translation.override(language):
            old = Template(CHILD_LOOP).render(Context({"children_page": response.context["children_page"]}))
        assert old in body
        seen.append(old)
    assert "一片区 &amp; &lt;二片区&gt;" in seen[0] and "中河&lt;第二&gt;社区 &amp; 团支部" in seen[0]
    assert "<td>—</td>" in seen[0] and 'colspan="4"' in seen[2]


OPTIONS_LOOP = """{% with current=filters.form.NAME.value %}{% for value, label in filters.form.fields.NAME.choices %}<option value="{{ value }}"{% if current == value %} selected{% endif %}>{{ label }}</option>{% endfor %}{% endwith %}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_tree_filter_options_are_the_loops_bytes(world, client_for, language):
    client = client_for("province")
    client.cookies["django_language"] = language
    selected = 0
    for query in ("", "?q=中河", "?level=street&kind=working_committee&domain=urban_street", "?level=nonsense",
                  "?q=团&domain=government"):  # fmt: skip
        response = client.get(f"/orgs/{query}")
        body = response.content.decode()
        for name in ("level", "kind", "domain"):
            with translation.override(language):
                old = Template(OPTIONS_LOOP.replace("NAME", name)).render(
                    Context({"filters": response.context["filters"]})
                )
            assert old in body, (query, name)
            selected += old.count(" selected")
    assert selected >= 3  # the asked level, kind and domain show selected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_row_url_is_the_url_tags_link(language):
    """The panels' row links ({% row_url %}) are what {% url %} wrote, for each route they use."""
    names = ["elections:detail", "grassroots:organization", "pilots:report_detail", "organization_detail",
             "organization_edit", "organization_audit"]  # fmt: skip
    with translation.override(language):
        for name in names:
            for pk in (1, 42, 918273645):
                context = Context({"pk": pk})
                new = Template(f"{{% load league_rows %}}{{% row_url '{name}' pk %}}").render(context)
                assert new == Template(f"{{% url '{name}' pk %}}").render(context)
                assert str(pk) in new


def test_ancestors_and_regions_are_the_orms_rows(world):
    """The organization page's path and regions (SQL written in league.views) are the rows of the ORM's queries
    they replace: the ancestors top first, the regions in their order with their units counted."""
    from django.db.models import Count

    from league.views import _ancestors, _regions_with_unit_counts

    second = Region.objects.create(organization=world.zhonghe, name="二片区", order=1)
    first = Region.objects.create(organization=world.zhonghe, name="一片区 & 东", order=1)
    Region.objects.create(organization=world.zhonghe, name="零片区", order=0)
    for n in range(3):
        OrganizationFactory(parent=world.zhonghe, code=f"ZH-R{n}", region=first if n else second)
    Region.objects.create(organization=world.shounan, name="首南片区")
    seen = set()
    for organization in (world.zhonghe, world.zhonghe_branch, world.province, world.shounan, world.county):
        orm = list(organization.ancestors().only("name", "path"))
        assert [(a.pk, a.name, a.path) for a in _ancestors(organization)] == [
            (a.pk, a.name, a.path) for a in orm
        ]
        orm = Region.objects.filter(organization=organization).annotate(unit_count=Count("units"))
        rows = [
            (r.pk, r.name, r.order, r.organization_id, r.unit_count) for r in orm.order_by("order", "name")
        ]
        assert [(r.pk, r.name, r.order, r.organization_id, r.unit_count)
                for r in _regions_with_unit_counts(organization.pk)] == rows  # fmt: skip
        seen.update(rows)
    assert {("一片区 & 东", 2), ("二片区", 1), ("零片区", 0)} <= {(r[1], r[4]) for r in seen}
    assert len(_ancestors(world.zhonghe_branch)) == 4 and _ancestors(world.province) == []


LEVEL_COUNTS_LOOP = """<div class="d-flex flex-wrap gap-3 small">
{% for label, n in counts %}<span><span class="text-muted">{{ label }}</span> <strong>{{ n }}</strong></span>{% endfor %}
</div>
"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_level_counts_are_the_included_loops_bytes(world, client_for, language):
    """The tree's and the organization page's counts by level ({% level_counts %}) are what the included
    league/_level_counts.html wrote, the labels translated and escaped."""
    from django.utils.translation import gettext_lazy

    client = client_for("province")
    client.cookies["django_language"] = language
    pages = [("/orgs/", "level_counts"), (f"/orgs/{world.province.pk}/", "subtree_counts"),
             (f"/orgs/{world.zhonghe_branch.pk}/", "subtree_counts")]  # fmt: skip
    for url, name in pages:
        response = client.get(url)
        counts = response.context[name]
        with translation.override(language):
            old = Template(LEVEL_COUNTS_LOOP).render(Context({"counts": counts}))
        assert old in response.content.decode()
        assert "<strong>" in old
    counts = [(gettext_lazy("Level"), 3), ("<b> & 街道", 12345), ("", 0)]
    with translation.override(language):
        new = Template("{% load league_rows %}{% level_counts counts %}").render(Context({"counts": counts}))
        assert new == Template(LEVEL_COUNTS_LOOP).render(Context({"counts": counts}))
    assert "&lt;b&gt; &amp; 街道" in new
