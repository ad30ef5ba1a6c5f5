"""Demo data for instructors, pairs and funds: 静海县's 2010 pilot as seed 003 tells it.

- 5 instructors (团县委机关干部, users jh_instructor1…5), one per pilot unit, 15 visits, 5 activities designed,
  7 problems solved, 4,000 yuan coordinated;
- 5 联试共建 pairs (国税局团总支–瀛海学校团委, 教育局团委–大邱庄镇团委, 林业局团支部–顺丰林木合作社团支部,
  公安分局团委–恒兴钢业团委, 地税分局团支部–王口镇团委), 6 meetings, 7 agreements;
- the fund: 3,000 from the working budget + 7,000 raised = 10,000 yuan, and the two project applications
  pending with the county (the amounts and titles of the applications are illustrative).
The `instructor` persona also guides 中河街道 in the 鄞州 pilot running now, with two recent visits.
Idempotent: each part is skipped when already there.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from league.demo import DEMO_PASSWORD
from league.models import Domain, Kind, Level, Membership, Organization, Role

from ..funds import services as funds
from ..funds.models import Fund
from ..models import PilotProgram, PilotUnit, today
from . import services
from .models import InstructorAssignment, Pair, Visit
from .services import ProblemItem as P

D = dt.date
INSTRUCTORS = [  # username, name, unit code
    ("jh_instructor1", "刘建华", "TJ-JH-DQZ"),
    ("jh_instructor2", "王静", "TJ-JH-WK"),
    ("jh_instructor3", "张海涛", "TJ-JH-YHXX"),
    ("jh_instructor4", "李娜", "TJ-JH-HXGY"),
    ("jh_instructor5", "赵军", "TJ-JH-SFLM"),
]
# Per unit: three visits (survey → activity design → guidance); problems solved; funds coordinated.
VISITS = {
    "TJ-JH-DQZ": [
        (D(2010, 3, 3), "survey", "走访镇团委和重点企业团支部，调研青年需求，帮助制定试点实施方案。", "", None, []),
        (D(2010, 3, 24), "activity", "协助设计“青年创业沙龙”特色活动。", "青年创业沙龙", ("1000", "镇政府"),
         [P("创业沙龙缺少活动经费", "funding", True)]),
        (D(2010, 4, 14), "guidance", "指导团委副书记分工，整理团员名册。", "", None,
         [P("团员名册不完整", "difficulty", True)]),
    ],
    "TJ-JH-WK": [
        (D(2010, 3, 4), "survey", "调研王口镇团组织现状，帮助形成实施方案初稿。", "", None, []),
        (D(2010, 3, 25), "activity", "协助设计“青春助农”志愿服务活动。", "青春助农", ("1000", "镇财政"),
         [P("志愿服务车辆不足", "difficulty", True)]),
        (D(2010, 4, 15), "meeting", "参加镇团委与地税分局团支部座谈会。", "", None,
         [P("青年创业者不熟悉税收政策", "other", True)]),
    ],
    "TJ-JH-YHXX": [
        (D(2010, 3, 5), "survey", "与学校团委座谈，调研学生团员情况，修改实施方案。", "", None, []),
        (D(2010, 3, 26), "activity", "协助设计“校园文化艺术节”。", "校园文化艺术节", ("800", "学校"), []),
        (D(2010, 4, 16), "guidance", "指导开展帮困助学结对。", "", None, [P("贫困学生资助名单未确定", "difficulty", True)]),
    ],
    "TJ-JH-HXGY": [
        (D(2010, 3, 8), "survey", "深入车间调研青年职工需求，帮助制定方案。", "", None, []),
        (D(2010, 3, 29), "activity", "协助设计“青年岗位能手”技能比武。", "青年岗位能手技能比武", ("700", "企业工会"),
         [P("比武奖品经费不足", "funding", True)]),
        (D(2010, 4, 19), "guidance", "指导团委换届准备工作。", "", None, []),
    ],
    "TJ-JH-SFLM": [
        (D(2010, 3, 9), "survey", "走访合作社，调研青年社员情况，帮助制定方案。", "", None, []),
        (D(2010, 3, 30), "activity", "协助设计“林木养护技能培训”。", "林木养护技能培训", ("500", "县林业局"), []),
        (D(2010, 4, 20), "guidance", "指导建立团支部活动制度。", "", None, [P("培训场地不固定", "difficulty", True)]),
    ],
}  # fmt: skip
PAIRS = [  # organ code, organ name, kind (None: exists in league.demo), unit code, meetings, agreements
    ("TJ-JH-GS", None, None, "TJ-JH-YHXX",
     [(D(2010, 3, 16), "国税局团总支书记、瀛海学校团委书记及团员代表8人", "商定帮困助学和联合文体活动。"),
      (D(2010, 4, 21), "双方团组织委员6人", "落实助学名单，筹备春季运动会。")],
     [("帮困助学", "done"), ("联合举办文化体育活动", "under_way")]),
    ("TJ-JH-JYJ", None, None, "TJ-JH-DQZ",
     [(D(2010, 3, 18), "教育局团委、大邱庄镇团委班子成员7人", "商定由教育局青年干部兼任镇团委副书记。")],
     [("聘任团委副书记", "done")]),
    ("TJ-JH-LYJ", "静海县林业局团支部", Kind.BRANCH, "TJ-JH-SFLM",
     [(D(2010, 3, 19), "林业局团支部、合作社团支部及青年社员10人", "商定开展林木养护技能培训。")],
     [("林木养护技能培训", "under_way")]),
    ("TJ-JH-GAJ", "静海县公安分局团委", Kind.COMMITTEE, "TJ-JH-HXGY",
     [(D(2010, 3, 23), "公安分局团委、恒兴钢业团委委员6人", "商定联合举办文化体育活动。")],
     [("联合举办文化体育活动", "planned")]),
    ("TJ-JH-DSJ", None, None, "TJ-JH-WK",
     [(D(2010, 3, 25), "地税分局团支部、王口镇团委及青年创业者12人", "商定为青年创业提供税法知识讲解。")],
     [("为青年创业提供税法知识讲解", "done"), ("宣讲减免税政策", "under_way")]),
]  # fmt: skip


def _instructor(username, name, organization):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, last_name=name[0], first_name=name[1:], email=f"{username}@demo.league.local"
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, organization=organization, role=Role.INSTRUCTOR,
                                     defaults={"title": "指导员"})  # fmt: skip
    return user


@transaction.atomic
def seed(world, stdout=None):
    admin = world["user:admin"]
    program = PilotProgram.objects.filter(
        organization__code="TJ-JH", name="2010年静海县基层团组织建设试点"
    ).first()
    if program is not None:
        _jinghai(world, admin, program)
    _persona(world)
    if stdout is not None:
        stdout.write(f"Guidance visits: {Visit.objects.count()}, pairs: {Pair.objects.count()}, "
                     f"funds: {Fund.objects.count()}")  # fmt: skip


def _jinghai(world, admin, program):
    county = world["TJ-JH"]
    units = {u.organization.code: u for u in program.units.select_related("organization")}
    if not InstructorAssignment.objects.filter(unit__program=program).exists():
        for username, name, code in INSTRUCTORS:
            user = _instructor(username, name, county)
            world[f"user:{username}"] = user
            services.assignment_add(by=admin, unit=units[code], instructor=user, starts_on=D(2010, 3, 1))
            for day, kind, summary, activity, funds_, problems in VISITS[code]:
                amount, source = funds_ or ("0", "")
                services.visit_log(by=user, unit=units[code], visited_on=day, kind=kind, summary=summary,
                                   activity_designed=activity, funds_amount=amount, funds_source=source,
                                   problems=problems)  # fmt: skip
    if not Pair.objects.filter(program=program).exists():
        for code, name, kind, unit_code, meetings, agreements in PAIRS:
            organ = Organization.objects.filter(code=code).first()
            if organ is None:
                organ = Organization(code=code, name=name, level=Level.GRASSROOTS, kind=kind, domain=Domain.GOVERNMENT,
                                     parent=county)  # fmt: skip
                organ.save()
            pair = services.pair_create(by=admin, program=program, organ=organ, unit=units[unit_code],
                                        starts_on=D(2010, 3, 15))  # fmt: skip
            made = [services.meeting_add(by=admin, pair=pair, held_on=d, attendees=a, minutes=m)
                    for d, a, m in meetings]  # fmt: skip
            for title, status in agreements:
                services.agreement_add(by=admin, pair=pair, title=title, status=status, reached_on=made[0].held_on,
                                       meeting=made[0])  # fmt: skip
    if not Fund.objects.filter(organization=county, name="静海县试点工作基金").exists():
        fund = funds.fund_create(by=admin, organization=county, program=program, name="静海县试点工作基金")
        funds.entry_add(by=admin, fund=fund, kind="source", amount="3000", entry_date=D(2010, 3, 1),
                        source="团县委工作经费")  # fmt: skip
        funds.entry_add(by=admin, fund=fund, kind="source", amount="7000", entry_date=D(2010, 3, 1),
                        source="社会筹集")  # fmt: skip
        funds.application_submit(by=admin, fund=fund, organization=units["TJ-JH-DQZ"].organization,
                                 title="青年创业沙龙", plan="每月举办一次，邀请税务、金融部门青年干部为创业青年讲解政策。",
                                 amount="2000", budget_lines=[{"item": "场地及设备", "amount": "800"},
                                                              {"item": "资料印制", "amount": "1200"}])  # fmt: skip
        funds.application_submit(by=admin, fund=fund, organization=units["TJ-JH-YHXX"].organization,
                                 title="校园文化艺术节", plan="五四期间举办校园文化艺术节，展示学生团员风采。",
                                 amount="1500", budget_lines=[{"item": "奖品", "amount": "900"},
                                                              {"item": "场地布置", "amount": "600"}])  # fmt: skip


def _persona(world):
    """The `instructor` persona guides 中河街道 in the 鄞州 pilot running now."""
    user, county = world.get("user:instructor"), world.get("user:county")
    if user is None or county is None:
        return
    unit = PilotUnit.objects.filter(organization__code="ZJ-NB-YZ-ZH", program__organization__code="ZJ-NB-YZ",
                                    program__in=PilotProgram.objects.active()).select_related("program").first()  # fmt: skip
    if unit is None or InstructorAssignment.objects.filter(unit=unit, instructor=user).exists():
        return
    services.assignment_add(by=county, unit=unit, instructor=user, starts_on=unit.program.starts_on)
    on = today()
    first = max(unit.program.starts_on, on - dt.timedelta(days=14))
    services.visit_log(by=user, unit=unit, visited_on=first, kind="survey", summary="调研街道团工委班子配备情况，帮助修改实施方案。",
                       problems=[P("社区团支部书记空缺两名", "difficulty", False)])  # fmt: skip
    services.visit_log(by=user, unit=unit, visited_on=max(first, on - dt.timedelta(days=3)), kind="activity",
                       summary="协助设计“青年议事会”活动。", activity_designed="青年议事会",
                       funds_amount="600", funds_source="街道工委")  # fmt: skip
