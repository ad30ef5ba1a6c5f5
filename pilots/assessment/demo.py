"""Demo data of assessments (seeds 000 and 004), called by pilots/demo.py. Idempotent.

兰州 (2019 整理整顿, 2020 对标定级, 2021 规范提升): a review per year, star ratings of the directly attached
organizations in 2020 and 2021, the bottom 20% under rectification with ledgers (some carried into 2021),
quarterly inspections with findings linked to items, a yearly ranking where 兰州 ZS-12 sits in the bottom
three two years running, a monthly hearing, and an award application. 浙江: the 2009 street pilot's review.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from league.models import Organization

from ..models import PilotProgram
from . import services
from .models import (
    AwardApplication,
    Escalation,
    Hearing,
    Inspection,
    RatingRound,
    StageReview,
    YearlyRanking,
)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _points(scheme, seed: int, reporting) -> dict:
    """Deterministic scores under each maximum (seed 0 best)."""
    out = {}
    for c in scheme.criteria.all():
        if c.key == "reporting":
            out[c.key] = reporting
        else:
            out[c.key] = max(c.max_points - (seed * (c.order + 2)) % (c.max_points // 2 + 1), 0)
    return out


def _review(admin, program, title, phase, seeds: dict, published_on: dt.date, members: str) -> StageReview:
    scheme = getattr(program, "assessment_scheme", None)
    if scheme is None:
        scheme = services.scheme_create(by=admin, program=program, veto_items=["发生违纪违法或重大负面舆情"])
    review = StageReview.objects.filter(scheme=scheme, title=title).first()
    if review is not None:
        return review
    review = services.review_create(by=admin, scheme=scheme, title=title, members=members, phase=phase)
    reporting = scheme.criteria.get(key="reporting")
    for unit in program.units.select_related("organization"):
        proposal = services.reporting_proposal(review, unit, reporting)
        services.unit_score(by=admin, review=review, unit=unit, points=_points(scheme, seeds.get(unit.organization.code, 3),
                                                                               proposal))  # fmt: skip
    return services.review_publish(by=admin, review=review, now=_aware(published_on))


def seed(world, stdout=None) -> None:
    _lanzhou(world)
    _zhejiang(world)
    if stdout is not None:
        stdout.write(
            f"Assessment reviews: {StageReview.objects.count()}, rating rounds: {RatingRound.objects.count()}"
        )


def _goods(total: int) -> dict:
    base, extra = divmod(total, 5)
    return {
        k: base + (1 if i < extra else 0)
        for i, k in enumerate(["team", "members", "activities", "rules", "role"])
    }


LZ_2020 = [93, 88, 86, 84, 82, 80, 76, 73, 71, 66, 62, 55]  # 12 attached organizations, by code
LZ_2021 = [95, 90, 87, 86, 84, 83, 80, 78, 74, 75, 72, 58]


def _rate(admin, city, year, totals, codes):
    rnd = RatingRound.objects.filter(county=city, year=year).first()
    if rnd is not None:
        return rnd
    rnd = services.round_open(by=admin, county=city, year=year)
    by_code = {r.branch.code: r for r in rnd.ratings.select_related("branch")}
    for code, total in zip(codes, totals, strict=True):
        rating = by_code[code]
        services.self_rate(
            by=admin, rating=rating, scores=_goods(min(total + 4, 100)), now=_aware(dt.date(year, 11, 20))
        )
        services.rating_review(by=admin, rating=rating, scores=_goods(total), now=_aware(dt.date(year, 12, 10)),
                               vetoed=total < 56, comment="支部班子长期不健全" if total < 56 else "")  # fmt: skip
    services.round_finalize(by=admin, rnd=rnd, now=_aware(dt.date(year, 12, 20)))
    return rnd


HEARING_COMMENTS = [
    "“三会两制一课”落实较好，团员发展质量需进一步把关。",
    "团干部配备到位，青年之家阵地使用率偏低。",
    "团费收缴及时，团员教育管理台账不够规范。",
    "主题团日形式单一，要结合行业特点创新载体。",
    "基层团组织换届滞后，须在一个月内完成。",
    "连续两年排名靠后，整改措施要具体到人、到时限。",
]


def _lanzhou(world) -> None:
    program = PilotProgram.objects.filter(
        organization__code="GS-LZ", name__startswith="兰州市基层团组织规范化"
    ).first()
    if program is None or "GS-LZ" not in world:
        return
    admin, city = world["user:admin"], world["GS-LZ"]
    codes = [f"GS-LZ-ZS-{i:02d}" for i in range(1, 13)]
    members = "团市委书记（组长）\n团市委组织部部长\n市委组织部组织二处处长\n市教育局团工委书记"
    phases = {p.starts_on.year: p for p in program.phases.all()}
    for year, title in (
        (2019, "2019年度整理整顿考核"),
        (2020, "2020年度对标定级考核"),
        (2021, "2021年度规范提升考核"),
    ):
        seeds = {code: (i + year) % 7 for i, code in enumerate(codes)}
        seeds["GS-LZ-ZS-12"] = 9 if year >= 2020 else 2
        _review(admin, program, title, phases.get(year), seeds, dt.date(year + 1, 1, 15), members)

    # Star ratings 2020 and 2021; the bottom 20% under rectification.
    r2020 = _rate(admin, city, 2020, LZ_2020, codes)
    if not r2020.ratings.filter(branch__rectifications__year=2020).exists():
        targets = services.targets_select(by=admin, rnd=r2020)
        for i, target in enumerate(sorted(targets, key=lambda t: t.branch.code)):
            a = services.item_add(by=admin, target=target, problem="支部委员会不健全，组织委员空缺", action="召开团员大会补选组织委员",
                                  owner="团组织书记", deadline=dt.date(2021, 3, 31))  # fmt: skip
            b = services.item_add(by=admin, target=target, problem="“三会两制一课”记录不全", action="补齐会议记录，建立月度自查",
                                  owner="组织委员", deadline=dt.date(2021, 6, 30))  # fmt: skip
            services.item_close(
                by=admin,
                item=a,
                evidence="2021年3月团员大会补选记录、选举结果报告",
                now=_aware(dt.date(2021, 3, 28)),
            )
            if i == 0:  # the first one finished everything and passed the re-check
                services.item_close(
                    by=admin, item=b, evidence="2021年上半年会议记录台账", now=_aware(dt.date(2021, 6, 25))
                )
                services.target_recheck(by=admin, target=target, score=78, now=_aware(dt.date(2021, 7, 5)))
        services.targets_carry_over(by=admin, county=city, year=2020)
    r2021 = _rate(admin, city, 2021, LZ_2021, codes)
    if not r2021.ratings.filter(
        branch__rectifications__year=2021, branch__rectifications__round_number=1
    ).exists():
        services.targets_select(by=admin, rnd=r2021)

    # Quarterly inspections in 2021 with findings on the rectification ledgers.
    orgs = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    if not Inspection.objects.filter(city=city, year=2021).exists():
        for quarter, day, visited in (
            (1, dt.date(2021, 3, 18), codes[8:]),
            (2, dt.date(2021, 6, 17), codes[:6]),
        ):
            inspection = services.inspection_create(
                by=admin, city=city, year=2021, quarter=quarter, plan=f"2021年第{quarter}季度基层团建督导检查，覆盖学校、国企、机关、非公企业团组织。",
                team="团市委副书记（带队）\n组织部干部2名\n兼职督导员1名", held_on=day,
                methods=["unannounced", "hearing", "on_site", "ledgers", "symposium", "talks"][quarter - 1 : quarter + 3],
                units=[orgs[c] for c in visited],
            )  # fmt: skip
            for code in visited[:2]:
                rectifying = code in {t.branch.code for t in services.RectificationTarget.objects.open()}
                services.finding_add(by=admin, inspection=inspection, organization=orgs[code],
                                     text="团员教育管理台账不规范，团费收缴记录缺失",
                                     action="建立团员教育管理台账，补齐团费收缴记录" if rectifying else "",
                                     owner="团组织书记", deadline=day + dt.timedelta(days=45))  # fmt: skip

    # The yearly ranking: ZS-12 in the bottom three in 2020 and 2021 (two years → 告诫约谈).
    for year, worst in ((2019, ["GS-LZ-ZS-09", "GS-LZ-ZS-10", "GS-LZ-ZS-11"]),
                        (2020, ["GS-LZ-ZS-10", "GS-LZ-ZS-11", "GS-LZ-ZS-12"]),
                        (2021, ["GS-LZ-ZS-08", "GS-LZ-ZS-09", "GS-LZ-ZS-12"])):  # fmt: skip
        if YearlyRanking.objects.filter(city=city, year=year).exists():
            continue
        scores = {}
        for i, code in enumerate(codes):
            scores[orgs[code]] = 60 - worst.index(code) * 3 if code in worst else 95 - i * 2
        services.ranking_record(by=admin, city=city, year=year, scores=scores)
    if not Escalation.objects.filter(city=city).exists():
        for year in (2019, 2020):
            for p in services.escalation_proposals(city, year):
                services.escalation_record(by=admin, city=city, organization=p["organization"], year=year,
                                           held_on=dt.date(year + 1, 1, 20), note="团市委书记约谈主要负责人，提出整改要求")  # fmt: skip

    # A monthly hearing (5–8 secretaries) with the rectification reports due within a week.
    if not Hearing.objects.filter(organization=city).exists():
        hearing = services.hearing_schedule(by=admin, organization=city, held_on=dt.date(2021, 4, 8),
                                            units=[orgs[c] for c in codes[6:12]],
                                            comments="听取6家直属团组织书记抓基层团建工作汇报，逐一点评。")  # fmt: skip
        for report, comment in zip(
            hearing.speakers.order_by("organization__code"), HEARING_COMMENTS, strict=False
        ):
            services.hearing_comment(by=admin, report=report, comment=comment)
        for report in hearing.speakers.order_by("organization__code")[:4]:
            services.hearing_report_submit(by=admin, report=report, text="针对点评意见，已制定整改措施并落实到人。",
                                           on=dt.date(2021, 4, 14))  # fmt: skip

    top = program.units.filter(organization__code="GS-LZ-ZS-01").first()
    if top is not None and not AwardApplication.objects.filter(unit=top).exists():
        services.award_apply(by=admin, unit=top, award="red_flag",
                             statement="三年行动中率先完成整理整顿和对标定级，连续两年获评五星级团组织。")  # fmt: skip


def _zhejiang(world) -> None:
    program = PilotProgram.objects.filter(
        organization__code="ZJ", name="2009年街道团组织格局创新试点"
    ).first()
    if program is None:
        return
    phase = program.phases.filter(name="总结").first()
    seeds = {u.organization.code: i % 6 for i, u in enumerate(program.units.select_related("organization"))}
    seeds["ZJ-NB-YZ-ZH"] = 0  # 中河街道 finished its lineup first (seed 000)
    _review(world["user:admin"], program, "街道团组织格局创新试点总结评审", phase, seeds, dt.date(2010, 1, 28),
            "团省委副书记（组长）\n团省委青工部部长\n团省委组织部部长\n省委组织部基层处代表")  # fmt: skip
