"""Demo pilot programs from the seed documents, with reports in every state (loaded by `manage.py seed_demo`).

- 团浙江省委's 2009 street pilot (seed 000): 11 cities, 21 streets, phases, the 12月30日 milestone, weekly
  city reports to the province, briefings.
- The county "1+3+X" program of 2012 (seed 001), run here by 团鄞州区委 with monthly township reports, and the
  same model running now (its dates follow today, so the secretaries' pages always have something due).
- 静海县's 2010 pilot (seed 003), 姜堰区's 2021–2022 county reform pilot (seed 002), 兰州's 2019–2021
  three-year standardization program (seed 004).

Everything goes through pilots.services, so the demo obeys the same rules as the pages. Idempotent: a program
that already exists (same organization and name) is left as it is. Outcomes are drawn from a seeded random
generator, so every run gives the same data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from league.models import Domain, Kind, Level, LineupRule, Organization

from . import services
from .models import (
    Frequency,
    GroupRole,
    PilotProgram,
    ProgramKind,
    Report,
    ReportSlot,
    ReportState,
    ReturnReason,
)

# Six more streets, so the 2009 pilot has its 21 streets in all 11 cities (seed 000).
EXTRA_ZJ = [
    ("ZJ-WZ", "ZJ-WZ-LC", "团鹿城区委", "ZJ-WZ-LC-WM", "鹿城区五马街道团工委"),
    ("ZJ-HUZ", "ZJ-HUZ-WX", "团吴兴区委", "ZJ-HUZ-WX-YH", "吴兴区月河街道团工委"),
    ("ZJ-SX", "ZJ-SX-YC", "团越城区委", "ZJ-SX-YC-FS", "越城区府山街道团工委"),
    ("ZJ-QZ", "ZJ-QZ-KC", "团柯城区委", "ZJ-QZ-KC-FS", "柯城区府山街道团工委"),
    ("ZJ-ZS", "ZJ-ZS-DH", "团定海区委", "ZJ-ZS-DH-CG", "定海区昌国街道团工委"),
    ("ZJ-LS", "ZJ-LS-LD", "团莲都区委", "ZJ-LS-LD-ZJ", "莲都区紫金街道团工委"),
]
ZJ_STREETS = [
    "ZJ-NB-YZ-ZH", "ZJ-NB-YZ-SN", "ZJ-NB-YZ-ZGM", "ZJ-NB-YZ-XY", "ZJ-NB-YZ-DL", "ZJ-NB-JB-ZQ",
    "ZJ-HZ-XC-TS", "ZJ-JX-NH-XX", "ZJ-TZ-JJ-HM", "ZJ-TZ-LQ-LQ", "ZJ-JH-WC-CD", "ZJ-JH-WC-CZ",
    "ZJ-JH-WC-CX", "ZJ-JH-WC-CB", "ZJ-JH-WC-XS",
] + [e[3] for e in EXTRA_ZJ]  # fmt: skip
YINZHOU_UNITS = ["ZJ-NB-YZ-ZH", "ZJ-NB-YZ-SN", "ZJ-NB-YZ-ZGM", "ZJ-NB-YZ-XY", "ZJ-NB-YZ-DL", "ZJ-NB-YZ-JS",
                 "ZJ-NB-YZ-WX"]  # fmt: skip

PROGRESS = [
    "完成团工委领导班子增配，新增副书记{a}名（其中编制外{b}名），班子实现“1+3+X”配齐。",
    "召开团员青年座谈会{a}次，走访基层团组织{b}个，摸清辖区青年分布和需求。",
    "按片区划分联系责任，副书记分片联系基层团组织，本期走访社区和企业{a}家。",
    "组织开展竞选承诺公示和述职评议，{a}名委员向团员青年代表述职。",
    "开展“青年之家”主题活动{a}场，参与青年{b}0余人次。",
    "完成人选推荐、笔试、面试和组织考察，确定正式候选人{a}名，差额比例符合要求。",
]
INNOVATIONS = [
    "实行组织推荐、团员青年推荐和个人自荐相结合，扩大选人视野。",
    "副书记实行分片负责制，一人联系一个片区，一月至少走访一次。",
    "建立团工委工作例会和议事制度，每月研究部署一次工作。",
    "编制外副书记从青年企业家、社区工作者中产生，增强代表性。",
    "开通工作群，实现试点动态即时交流。",
    "推行委员“认岗定责”，按青年群体分工联系。",
]
PROBLEMS = [
    "编制外副书记工作补贴来源不稳定。",
    "部分社区青年流动性大，联系和组织难度较大。",
    "试点工作经费不足，活动阵地有限。",
    "个别兼职委员本职工作繁忙，参与团的工作时间不足。",
    "非公企业团组织覆盖面仍然不高。",
]
SUGGESTIONS = [
    "建议上级明确编制外副书记的待遇保障办法。",
    "建议加强试点单位之间的交流，定期推广典型经验。",
    "建议将试点工作纳入党建考核，争取党政支持。",
    "建议安排专项经费支持基层团组织阵地建设。",
]
RETURN_COMMENTS = {
    ReturnReason.FIGURES: "活动次数与附件材料不一致，请核实后重新填报。",
    ReturnReason.VAGUE: "进展情况过于笼统，请写明具体举措和成效。",
    ReturnReason.INCOMPLETE: "缺少遇到的问题和工作建议，请补充完整。",
}


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _org(world, code, name, level, parent, kind=Kind.WORKING_COMMITTEE, domain=Domain.URBAN_STREET):
    org = Organization.objects.filter(code=code).first()
    if org is None:
        org = Organization(code=code, name=name, level=level, parent=parent, kind=kind, domain=domain)
        org.save()
    world[code] = org
    return org


class Seeder:
    """Builds one program and files its reports through the services, deterministically."""

    def __init__(self, world, key: str):
        self.world = world
        self.admin = world["user:admin"]
        self.rng = random.Random(key)

    def filer(self, org):
        for name, code in (("street", "ZJ-NB-YZ-ZH"), ("street_sibling", "ZJ-NB-YZ-SN")):
            if org.code == code and f"user:{name}" in self.world:
                return self.world[f"user:{name}"]
        return self.admin

    def reviewer(self, program):
        by_code = {"ZJ": "province", "ZJ-NB-YZ": "county"}
        name = by_code.get(program.organization.code)
        return self.world.get(f"user:{name}", self.admin) if name else self.admin

    def program(
        self,
        *,
        code,
        name,
        kind,
        starts_on,
        ends_on,
        description,
        phases,
        units,
        figure_fields=None,
        rule="1+3+X",
    ):
        runner = self.world[code]
        existing = PilotProgram.objects.filter(organization=runner, name=name).first()
        if existing:
            return None
        program = services.program_create(by=self.admin, organization=runner, name=name, kind=kind,
                                          starts_on=starts_on, ends_on=ends_on, description=description,
                                          figure_fields=figure_fields,
                                          lineup_rule=LineupRule.objects.filter(name=rule).first())  # fmt: skip
        for phase_name, p_start, p_end in phases:
            services.phase_add(
                by=self.admin, program=program, name=phase_name, starts_on=p_start, ends_on=p_end
            )
        for unit_code in units:
            services.unit_enroll(by=self.admin, program=program, organization=self.world[unit_code],
                                 joined_on=starts_on)  # fmt: skip
        return program

    def leading_groups(self, program, members_for):
        for unit in program.units.select_related("organization"):
            for name, role, title, source in members_for(unit.organization):
                services.leading_group_member_add(by=self.admin, unit=unit, name=name, role=role, title=title,
                                                  from_organization=source)  # fmt: skip

    def milestones(self, program, items, done_share=0.8, on=None):
        on = on or timezone.localdate()
        for unit in program.units.select_related("organization"):
            for title, due_on in items:
                m = services.milestone_add(by=self.admin, unit=unit, title=title, due_on=due_on)
                if due_on > on + dt.timedelta(days=30) or self.rng.random() > done_share:
                    continue
                done_on = min(due_on + dt.timedelta(days=self.rng.randint(-25, 6)), on)
                if done_on < program.starts_on:
                    done_on = program.starts_on
                services.milestone_complete(by=self.admin, milestone=m, done_on=done_on,
                                            evidence=f"{unit.organization.name}已完成：{title}。")  # fmt: skip

    def text(self, org, slot) -> dict:
        r = self.rng
        a, b = r.randint(1, 5), r.randint(1, 9)
        return {
            "progress": f"{slot.period_label}，{org.name}" + r.choice(PROGRESS).format(a=a, b=b),
            "innovations": r.choice(INNOVATIONS),
            "problems": r.choice(PROBLEMS),
            "suggestions": r.choice(SUGGESTIONS),
            "figures": {"youth_reached": r.randint(40, 900), "activities": r.randint(1, 12),
                        "funds_raised": r.choice([0, 500, 1000, 2000, 3000, 5000, 7000])},
        }  # fmt: skip

    def file(self, slot, outcome: str, *, on: dt.date | None = None) -> Report | None:
        """outcome: missing | draft | submitted | accepted | late | returned | resubmitted."""
        if outcome == "missing":
            return None
        org, by = slot.organization, self.filer(slot.organization)
        reviewer = self.reviewer(slot.program)
        on = on or timezone.localdate()
        report = services.report_start(slot=slot, by=by, on=slot.period_start)
        services.report_save(report=report, by=by, **self.text(org, slot))
        if outcome == "draft":
            return report
        if outcome == "late":
            when = slot.deadline + dt.timedelta(days=self.rng.randint(1, 6))
        else:
            when = slot.due_on - dt.timedelta(days=self.rng.randint(0, 3))
        when = min(max(when, slot.period_start), on)
        submitted_at = min(_aware(when, self.rng.randint(9, 20)), timezone.now())
        report = services.report_submit(report=report, by=by, now=submitted_at)
        if outcome == "submitted":
            return report
        review_day = min(when + dt.timedelta(days=self.rng.randint(1, 3)), on)
        stamp = lambda day, hour: max(min(_aware(day, hour), timezone.now()), submitted_at)  # noqa: E731
        if outcome in ("returned", "resubmitted"):
            reason = self.rng.choice(list(RETURN_COMMENTS))
            report = services.report_return(report=report, by=reviewer, reason=reason,
                                            comment=RETURN_COMMENTS[reason], now=stamp(review_day, 15))  # fmt: skip
            if outcome == "returned":
                return report
            fixed = self.text(org, slot)
            fixed["progress"] = report.progress + "\n补充：已按要求核实数据，补充具体举措和成效。"
            services.report_save(report=report, by=by, **fixed)
            resubmit_day = min(review_day + dt.timedelta(days=2), on)
            report = services.report_submit(report=report, by=by, now=stamp(resubmit_day, 17))
            review_day = min(resubmit_day + dt.timedelta(days=1), on)
        return services.report_accept(report=report, by=reviewer, now=stamp(review_day, 18))

    def history(self, program, *, on: dt.date, weights: dict[str, int]):
        """File every opened slot of a finished (or running) program with outcomes drawn from weights."""
        outcomes = list(weights)
        for slot in self.slots(program, on):
            if slot.deadline >= on:
                self.file(slot, self.rng.choice(["draft", "submitted", "missing"]), on=on)
                continue
            self.file(slot, self.rng.choices(outcomes, [weights[o] for o in outcomes])[0], on=on)

    def slots(self, program, on):
        return list(
            ReportSlot.objects.filter(program=program, period_start__lte=on)
            .select_related("organization", "program__organization", "schedule")
            .order_by("period_start", "organization__path")
        )

    def excerpts_and_briefing(self, program, *, title, foreword, count=3, publish_on=None, leave=2):
        accepted = list(
            Report.objects.filter(slot__program=program, state=ReportState.ACCEPTED, late=False)
            .select_related("slot__organization")
            .order_by("slot__period_start", "id")
        )
        if not accepted:
            return None
        picks = self.rng.sample(accepted, min(count + leave, len(accepted)))
        reviewer = self.reviewer(program)
        excerpts = [
            services.excerpt_mark(
                report=r,
                by=reviewer,
                title=f"{r.slot.organization.name}：{r.innovations[:18]}",
                text=f"{r.innovations}{r.progress}",
            )  # fmt: skip
            for r in picks
        ]
        briefing = services.briefing_create(by=self.admin, program=program, title=title, foreword=foreword,
                                            excerpts=excerpts[:count])  # fmt: skip
        if publish_on is not None:
            services.briefing_publish(briefing=briefing, by=self.admin, now=_aware(publish_on, 9))
        return briefing


def _leaders_zj(org):
    district = org.parent.name.removeprefix("团").removesuffix("委") if org.parent_id else ""
    street = org.name.removesuffix("团工委")
    leader_title = "区委副书记" if "下城" in district else "区委组织部副部长"
    return [
        (f"{district[:2]}组织部领导", GroupRole.LEADER, leader_title, f"中共{district}委"),
        (f"{street[-4:]}党工委书记", GroupRole.DEPUTY, "街道党工委书记", f"{street}党工委"),
        (f"{district[:2]}团委书记", GroupRole.DEPUTY, "团区委书记", org.parent.name if org.parent_id else ""),
        (f"{street[-4:]}团工委书记", GroupRole.MEMBER, "街道团工委书记", org.name),
    ]


def _leaders_county(county_name):
    def members(org):
        return [
            (
                "乡镇党委副书记",
                GroupRole.LEADER,
                "分管党群工作",
                org.name.removesuffix("团委").removesuffix("团工委"),
            ),
            (f"{county_name}团委书记", GroupRole.DEPUTY, "团县（区）委书记", f"团{county_name}委"),
            ("团委书记", GroupRole.MEMBER, "", org.name),
        ]

    return members


@transaction.atomic
def seed(world, stdout=None):
    """Add the pilots demo: five programs from the seeds and one running now, with reports in every state."""
    today = timezone.localdate()
    for city, county_code, county_name, street_code, street_name in EXTRA_ZJ:
        county = _org(
            world, county_code, county_name, Level.COUNTY, world[city], Kind.COMMITTEE, Domain.GOVERNMENT
        )
        _org(world, street_code, street_name, Level.STREET, county)

    _zhejiang_2009(world)
    _yinzhou_2012(world)
    _yinzhou_now(world, today)
    _jinghai_2010(world)
    _jiangyan_2021(world)
    _lanzhou_2019(world)
    from .guidance.demo import seed as seed_guidance  # instructors, pairs and funds (issue 7)

    seed_guidance(world, stdout)

    from .assessment import demo as assessment_demo

    assessment_demo.seed(world, stdout=stdout)
    if stdout is not None:
        stdout.write(f"Pilot programs: {PilotProgram.objects.count()}, report slots: {ReportSlot.objects.count()}, "
                     f"reports: {Report.objects.count()}")  # fmt: skip


def _zhejiang_2009(world):
    s = Seeder(world, "zj-2009")
    program = s.program(
        code="ZJ", name="2009年街道团组织格局创新试点", kind=ProgramKind.STREET_PATTERN,
        starts_on=dt.date(2009, 10, 1), ends_on=dt.date(2010, 1, 31),
        description="团中央确定浙江11个试点单位、21个街道开展街道团组织格局创新试点。各市级团委每周一次向团省委青工部"
                    "报送试点工作动态（进展情况、创新性措施、遇到的问题和工作建议），团省委通过简报和网站集中公示。",
        phases=[("准备", dt.date(2009, 10, 1), dt.date(2009, 10, 31)), ("实施", dt.date(2009, 11, 1), dt.date(2009, 12, 30)),
                ("总结", dt.date(2009, 12, 31), dt.date(2010, 1, 31))],
        units=ZJ_STREETS,
    )  # fmt: skip
    if program is None:
        return
    services.schedule_create(by=s.admin, program=program, frequency=Frequency.WEEKLY, reporting_level=Level.CITY,
                             due_weekday=4, grace_days=1, name="市级团委每周动态")  # fmt: skip
    s.leading_groups(program, _leaders_zj)
    s.milestones(program, [("成立试点工作领导小组", dt.date(2009, 10, 31)),
                           ("完成街道领导班子增配（副书记到位）", dt.date(2009, 12, 30))], done_share=0.9)  # fmt: skip
    # 中河街道 finished its lineup first (seed 000).
    zh = program.units.get(organization__code="ZJ-NB-YZ-ZH").milestones.get(title__startswith="完成街道")
    if zh.done_on is None or zh.done_on > dt.date(2009, 12, 1):
        zh.done_on, zh.evidence = (
            dt.date(2009, 11, 28),
            "53人报名，经笔试、面试、组织考察确定13名候选人，选出书记1名、副书记4名、委员6名。",
        )
        zh.save(update_fields=["done_on", "evidence"])
    s.history(program, on=dt.date(2010, 2, 10),
              weights={"accepted": 70, "late": 10, "missing": 8, "resubmitted": 8, "returned": 2, "submitted": 2})  # fmt: skip
    s.excerpts_and_briefing(program, title="街道团组织格局创新试点工作动态",
                            foreword="各试点单位均成立了试点工作领导小组，现将近期各地试点进展和创新做法摘编如下。",
                            publish_on=dt.date(2009, 12, 21))  # fmt: skip
    s.excerpts_and_briefing(program, title="试点工作阶段总结", foreword="21个街道已全面完成领导班子调整工作。",
                            count=2, leave=0, publish_on=dt.date(2010, 1, 20))  # fmt: skip


def _yinzhou_2012(world):
    s = Seeder(world, "yz-2012")
    program = s.program(
        code="ZJ-NB-YZ", name="2012年乡镇（街道）团建格局“1+3+X”工作模式", kind=ProgramKind.TOWNSHIP_1_3_X,
        starts_on=dt.date(2012, 6, 1), ends_on=dt.date(2012, 12, 31),
        description="“1”配齐配强团委书记；“3”编制内与编制外相结合配齐三名副书记；“X”从青年致富带头人、青年村干部、"
                    "选调生、公务员、三支一扶成员和大学生村官、青年企业家等优秀青年中民主产生委员若干名。"
                    "各乡镇（街道）于每月月底前将工作进展情况报团区委。",
        phases=[("准备", dt.date(2012, 6, 1), dt.date(2012, 6, 20)), ("实施", dt.date(2012, 6, 21), dt.date(2012, 10, 10)),
                ("总结", dt.date(2012, 10, 11), dt.date(2012, 12, 31))],
        units=YINZHOU_UNITS,
    )  # fmt: skip
    if program is None:
        return
    services.schedule_create(by=s.admin, program=program, frequency=Frequency.MONTHLY,
                             reporting_level=Level.STREET, grace_days=0, name="乡镇月报")  # fmt: skip
    s.leading_groups(program, _leaders_county("鄞州区"))
    s.milestones(program, [("制定工作实施方案", dt.date(2012, 6, 20)), ("配齐“1+3+X”团委班子", dt.date(2012, 10, 10)),
                           ("建立团委工作例会和议事制度", dt.date(2012, 10, 10)),
                           ("形成工作总结和典型经验", dt.date(2012, 12, 25))])  # fmt: skip
    s.history(program, on=dt.date(2013, 1, 15),
              weights={"accepted": 72, "late": 12, "missing": 6, "resubmitted": 10})  # fmt: skip
    s.excerpts_and_briefing(program, title="团建格局创新工作交流", foreword="现将各乡镇（街道）先进做法摘编如下。",
                            publish_on=dt.date(2012, 11, 5))  # fmt: skip


def _yinzhou_now(world, today):
    """The same "1+3+X" model running now: months filed, one returned, some late, some missing, one due."""
    s = Seeder(world, "yz-now")
    start = _add_months(today.replace(day=1), -5)
    next_month = _add_months(today.replace(day=1), 1)
    end = _month_end(next_month.year, next_month.month)
    program = s.program(
        code="ZJ-NB-YZ", name=f"{start.year}年乡镇（街道）团委“1+3+X”深化试点", kind=ProgramKind.TOWNSHIP_1_3_X,
        starts_on=start, ends_on=end,
        description="按照“1+3+X”工作模式深化乡镇（街道）团组织格局创新：配齐班子、建立例会和述职评议制度、"
                    "每月月底前报送工作进展，团区委审核后定期编发简报。",
        phases=[("准备", start, start + dt.timedelta(days=19)), ("实施", start + dt.timedelta(days=20), _add_months(start, 4) - dt.timedelta(days=1)),
                ("总结", _add_months(start, 4), end)],
        units=YINZHOU_UNITS,
    )  # fmt: skip
    if program is None:
        return
    services.schedule_create(by=s.admin, program=program, frequency=Frequency.MONTHLY,
                             reporting_level=Level.STREET, grace_days=3, name="乡镇月报")  # fmt: skip
    s.leading_groups(program, _leaders_county("鄞州区"))
    s.milestones(program, [("制定工作实施方案", start + dt.timedelta(days=19)),
                           ("增配副书记（编制外不少于1名）", _add_months(start, 3) - dt.timedelta(days=1)),
                           ("建立团委工作例会和述职评议制度", _add_months(start, 4) - dt.timedelta(days=1)),
                           ("形成年度工作总结", end - dt.timedelta(days=6))], on=today)  # fmt: skip
    # Hand-picked outcomes for the personas' organizations; drawn ones for the others.
    fixed = {
        "ZJ-NB-YZ-ZH": ["accepted", "accepted", "late", "accepted", "returned"],
        "ZJ-NB-YZ-SN": ["accepted", "missing", "accepted", "resubmitted", "submitted"],
        "ZJ-NB-YZ-ZGM": ["accepted", "late", "accepted", "accepted", "draft"],
    }
    weights = {"accepted": 70, "late": 12, "missing": 8, "resubmitted": 10}
    slots = s.slots(program, today)
    by_org: dict[str, list] = {}
    for slot in slots:
        by_org.setdefault(slot.organization.code, []).append(slot)
    for code, org_slots in by_org.items():
        for i, slot in enumerate(org_slots):
            if slot.deadline >= today:  # the current month: still due
                outcome = {"ZJ-NB-YZ-SN": "submitted", "ZJ-NB-YZ-DL": "draft"}.get(code, "due")
                if outcome != "due":
                    s.file(slot, outcome, on=today)
                continue
            plan = fixed.get(code)
            if plan and i < len(plan):
                outcome = plan[i]
            else:
                outcome = s.rng.choices(list(weights), list(weights.values()))[0]
            if i == len(org_slots) - 2 and code in ("ZJ-NB-YZ-XY", "ZJ-NB-YZ-JS"):
                outcome = "submitted"  # waiting in the county's review queue
            s.file(slot, outcome, on=today)
    s.excerpts_and_briefing(program, title="“1+3+X”深化试点工作简报", foreword="现将各乡镇（街道）近期的创新做法摘编如下。",
                            publish_on=max(start + dt.timedelta(days=75), start))  # fmt: skip


def _jinghai_2010(world):
    s = Seeder(world, "jh-2010")
    program = s.program(
        code="TJ-JH", name="2010年静海县基层团组织建设试点", kind=ProgramKind.OTHER,
        starts_on=dt.date(2010, 1, 1), ends_on=dt.date(2010, 12, 31),
        description="五项措施推进试点：设立试点资金（3000元工作经费＋7000元募集＝10000元）、5名指导员“五个一”、"
                    "机关团组织与试点单位联试共建。",
        phases=[("准备", dt.date(2010, 1, 1), dt.date(2010, 2, 28)), ("实施", dt.date(2010, 3, 1), dt.date(2010, 10, 31)),
                ("总结", dt.date(2010, 11, 1), dt.date(2010, 12, 31))],
        units=["TJ-JH-DQZ", "TJ-JH-WK", "TJ-JH-YHXX", "TJ-JH-HXGY", "TJ-JH-SFLM"],
    )  # fmt: skip
    if program is None:
        return
    services.schedule_create(by=s.admin, program=program, frequency=Frequency.MONTHLY,
                             reporting_level=Level.STREET, grace_days=5, name="乡镇月报")  # fmt: skip
    services.schedule_create(by=s.admin, program=program, frequency=Frequency.MONTHLY,
                             reporting_level=Level.GRASSROOTS, grace_days=5, name="试点单位月报")  # fmt: skip
    s.leading_groups(program, _leaders_county("静海县"))
    s.milestones(program, [("完成一次调研并制定一个方案", dt.date(2010, 3, 31)),
                           ("开展一项特色活动", dt.date(2010, 6, 30)), ("解决至少一个经费难题", dt.date(2010, 9, 30))])  # fmt: skip
    s.history(program, on=dt.date(2011, 1, 10),
              weights={"accepted": 75, "late": 10, "missing": 8, "resubmitted": 7})  # fmt: skip
    s.excerpts_and_briefing(program, title="基层组织建设简报", foreword="静海县以五项措施推进基层团组织建设试点。",
                            publish_on=dt.date(2010, 4, 26))  # fmt: skip


def _jiangyan_2021(world):
    s = Seeder(world, "jy-2021")
    program = s.program(
        code="JS-TZ-JY", name="姜堰区县域共青团基层组织改革试点", kind=ProgramKind.COUNTY_REFORM,
        starts_on=dt.date(2021, 3, 1), ends_on=dt.date(2022, 12, 31),
        description="配齐镇街团（工）委专职副书记、选调工作人员，建设青年之家阵地；2021年新增专项经费25万元，"
                    "2022年50万元，镇街按每年不低于3元每人保障青少年发展工作经费。",
        phases=[("启动部署", dt.date(2021, 3, 1), dt.date(2021, 6, 30)), ("全面推进", dt.date(2021, 7, 1), dt.date(2022, 9, 30)),
                ("总结验收", dt.date(2022, 10, 1), dt.date(2022, 12, 31))],
        units=["JS-TZ-JY-SS", "JS-TZ-JY-LT", "JS-TZ-JY-LX", "JS-TZ-JY-QT", "JS-TZ-JY-ZD", "JS-TZ-JY-QH"],
        rule="1+2+N",
    )  # fmt: skip
    if program is None:
        return
    services.schedule_create(by=s.admin, program=program, frequency=Frequency.MONTHLY,
                             reporting_level=Level.STREET, grace_days=5, name="镇街月报")  # fmt: skip
    s.leading_groups(program, _leaders_county("姜堰区"))
    s.milestones(program, [("配备专职副书记1名、选调工作人员1名", dt.date(2021, 11, 30)),
                           ("建成青年之家阵地", dt.date(2022, 6, 30))])  # fmt: skip
    s.history(program, on=dt.date(2023, 1, 10),
              weights={"accepted": 78, "late": 9, "missing": 6, "resubmitted": 7})  # fmt: skip
    s.excerpts_and_briefing(program, title="县域共青团改革试点简报", foreword="现将各镇街改革试点经验摘编如下。",
                            publish_on=dt.date(2021, 12, 15))  # fmt: skip


def _lanzhou_2019(world):
    s = Seeder(world, "lz-2019")
    units = [f"GS-LZ-ZS-{i:02d}" for i in range(1, 13)]
    program = s.program(
        code="GS-LZ", name="兰州市基层团组织规范化建设三年行动（2019—2021）", kind=ProgramKind.STANDARDIZATION,
        starts_on=dt.date(2019, 1, 1), ends_on=dt.date(2021, 12, 31),
        description="2019年整理整顿、2020年对标定级、2021年规范提升；后进20%团组织整顿，对账销号；季度督导、年终排名。",
        phases=[("整理整顿", dt.date(2019, 1, 1), dt.date(2019, 12, 31)), ("对标定级", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
                ("规范提升", dt.date(2021, 1, 1), dt.date(2021, 12, 31))],
        units=units,
    )  # fmt: skip
    if program is None:
        return
    # Monthly reports in the third year (规范提升), when the program asked the units to report every month.
    services.schedule_create(by=s.admin, program=program, frequency=Frequency.MONTHLY, starts_on=dt.date(2021, 1, 1),
                             reporting_level=Level.GRASSROOTS, grace_days=5, name="直属团组织月报")  # fmt: skip
    s.leading_groups(program, lambda org: [("市委组织部领导", GroupRole.LEADER, "", "中共兰州市委组织部"),
                                           ("团市委书记", GroupRole.DEPUTY, "", "团兰州市委"),
                                           ("团组织书记", GroupRole.MEMBER, "", org.name)])  # fmt: skip
    s.milestones(program, [("完成整理整顿", dt.date(2019, 12, 31)), ("完成对标定级", dt.date(2020, 12, 31)),
                           ("通过规范提升验收", dt.date(2021, 12, 31))])  # fmt: skip
    s.history(program, on=dt.date(2022, 1, 10),
              weights={"accepted": 80, "late": 8, "missing": 7, "resubmitted": 5})  # fmt: skip
    s.excerpts_and_briefing(program, title="基层团组织规范化建设工作简报", foreword="三年行动阶段成果。",
                            publish_on=dt.date(2020, 6, 30))  # fmt: skip
