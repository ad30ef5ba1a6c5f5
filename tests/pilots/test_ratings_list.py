"""The star ratings list: the distribution's rows and the county select written as the template loops wrote
them, and its short list of rounds read without a COUNT."""

import re

from tests.pilots.assessment_helpers import branches, rated_round


def _rated(world):
    branches(world.county, 5)
    rated_round(world.county, world.users["county"], [95, 95, 85, 70, 50], year=2024)
    return rated_round(world.county, world.users["county"], [95, 85, 85, 85, 50], year=2025)


def test_distribution_rows_and_county_options(world, client_for):
    _rated(world)
    body = client_for("province").get("/pilots/ratings/").content.decode()
    table = body[body.index('data-testid="distribution"') : body.index("</table>")]
    rows = re.findall(r"<tr><td>([^<]*)</td>((?:<td class=\"text-end\">[^<]*</td>)+)</tr>", table)
    shown = {name: re.findall(r">([^<]*)<", cells)[::2] for name, cells in rows}
    # the latest year of each county: 2025 for 鄞州 (its five branches, and those of the fixture's world)
    yinzhou = next(v for k, v in shown.items() if k.startswith("团鄞州区委 (2025)"))
    assert yinzhou[-1] == str(sum(int(v) for v in yinzhou[:-1])) and int(yinzhou[-1]) >= 5
    assert shown["团江北区委"] == ["0", "0", "0", "0", "0", "0"]  # no ratings: no year
    county = client_for("county").get("/pilots/ratings/").content.decode()
    assert (
        f'<select class="form-select" id="county" name="county"><option value="{world.county.pk}">团鄞州区委</option></select>'
        in county
    )


def test_a_short_list_of_rounds_is_one_query_without_a_count(world, client_for, django_assert_num_queries):
    _rated(world)
    client = client_for("county")
    client.get("/pilots/ratings/")
    # session, user, memberships, counties, the distribution, the rounds (no COUNT), the bell
    with django_assert_num_queries(7) as ctx:
        body = client.get("/pilots/ratings/").content.decode()
    assert not [q for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "ratinground" in q["sql"]]
    assert body.count('class="list-group-item list-group-item-action"') == 2


def test_star_counts_are_the_orm_query_they_replace(world):
    """pilots.assessment.views.star_counts: the rows of the grouped ORM query it replaces, for counties with
    ratings in two years, unrated branches (no stars) and counties without ratings."""
    from django.db.models import Count

    from pilots.assessment.models import BranchRating
    from pilots.assessment.views import star_counts

    _rated(world)
    rnd = rated_round(world.county, world.users["county"], [60], year=2026)
    rnd.ratings.update(stars=None)  # not yet rated
    counties = [world.county.pk, world.other_county_org.pk, world.province.pk]
    orm = (BranchRating.objects.filter(round__county__in=counties, stars__isnull=False)
           .values("round__county", "round__year", "stars").annotate(n=Count("id")))  # fmt: skip
    expected = sorted((d["round__county"], d["round__year"], d["stars"], d["n"]) for d in orm)
    assert sorted(star_counts(counties)) == expected and len({year for _, year, _, _ in expected}) == 2
    assert star_counts([world.other_county_org.pk]) == [] and star_counts([]) == []
