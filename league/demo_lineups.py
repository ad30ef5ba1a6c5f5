"""Demo lineups from the seeds (000 and 001): `seed(world, stdout=None)`, idempotent (a committee whose
term already exists is left alone).

- 鄞州区中河街道: 53 applicants, 13 candidates, 1 secretary + 4 deputies + 6 members elected (complete).
- 南湖区新兴街道: 5 deputies from 餐饮娱乐, 电子商务, 教育系统, 96345社区服务中心 and 大学生村官 (all out of
  establishment: the rule wants one in establishment, so it is incomplete and says why).
- 鄞州区: complete and incomplete lineups — a deputy ordered to resign after a talk (首南), a vacant
  secretary (下应, the county staff got a notice), a township short of members (姜山), one without a term
  (五乡), a term ending within 6 months (东柳).
- 路桥区路桥街道: 5 regions, one deputy secretary answering for each.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import services
from .lineups import ensure_reference_data
from .models import (
    AssignmentKind,
    Employment,
    EndReason,
    Establishment,
    HowObtained,
    MemberCategory,
    Person,
    PoliticalStatus,
    Review,
    Seat,
    SeatRole,
    TalkOutcome,
    Term,
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = ["晓东", "佳怡", "子涵", "浩然", "雨欣", "俊杰", "思远", "欣怡", "一鸣", "梦琪", "宇航", "诗雨", "志强",
         "婧", "磊", "倩", "鹏飞", "丹丹", "立新", "晨曦", "文博", "静怡", "嘉豪", "若曦"]  # fmt: skip
TERM_START = dt.date(2024, 12, 9)
TERM_END = dt.date(2029, 12, 9)


class _Names:
    def __init__(self, seed: int):
        self.i = seed

    def next(self) -> str:
        self.i += 7
        return SURNAMES[self.i % len(SURNAMES)] + GIVEN[(self.i // len(SURNAMES) + self.i) % len(GIVEN)]


def _person(org, names, n, *, employer="", youth_group="", status=PoliticalStatus.LEAGUE_MEMBER, name=None):
    return services.person_create(
        by=None, organization=org, name=name or names.next(), gender="mf"[n % 2],
        birth_date=dt.date(1992 + n % 11, 1 + n % 12, 1 + (n * 3) % 28), phone=f"139{n:08d}"[:11],
        employer=employer, youth_group=youth_group, political_status=status,
    )  # fmt: skip


def _lineup(
    org, *, seed, deputies, members, start=TERM_START, end=TERM_END, categories=(), deputy_groups=None
):
    """A term with its seats; returns (term, seats by role)."""
    names = _Names(seed)
    term = services.term_create(by=None, organization=org, number=1, start=start, end=end)
    seats = {SeatRole.SECRETARY: [], SeatRole.DEPUTY: [], SeatRole.MEMBER: []}
    secretary = _person(org, names, seed, employer=org.name.replace("团工委", "办事处").replace("团委", "政府"),
                        status=PoliticalStatus.PARTY_MEMBER)  # fmt: skip
    seats[SeatRole.SECRETARY].append(services.seat_fill(
        by=None, term=term, person=secretary, role=SeatRole.SECRETARY, start=start,
        establishment=Establishment.INSIDE, employment=Employment.FULL_TIME, how_obtained=HowObtained.ELECTION))  # fmt: skip
    for i, (establishment, employer, group) in enumerate(deputies):
        person = _person(org, names, seed + i + 1, employer=employer, youth_group=group)
        seats[SeatRole.DEPUTY].append(services.seat_fill(
            by=None, term=term, person=person, role=SeatRole.DEPUTY, start=start, establishment=establishment,
            employment=Employment.FULL_TIME if establishment == Establishment.INSIDE else Employment.PART_TIME,
            pledge=f"联系{group or '辖区'}青年，每季度开展一次活动，每年向团代会述职。"))  # fmt: skip
    for i in range(members):
        category = categories[i % len(categories)] if categories else None
        person = _person(org, names, seed + 20 + i, employer=f"{org.name[:5]}青年单位{i + 1}",
                         youth_group=category.name if category else "")  # fmt: skip
        seats[SeatRole.MEMBER].append(services.seat_fill(
            by=None, term=term, person=person, role=SeatRole.MEMBER, start=start,
            establishment=Establishment.OUTSIDE, employment=Employment.PART_TIME, category=category))  # fmt: skip
    return term, seats


IN, OUT = Establishment.INSIDE, Establishment.OUTSIDE
STANDARD_DEPUTIES = [
    (IN, "街道办事处", "机关"),
    (OUT, "社区服务中心", "社区青年"),
    (OUT, "非公企业", "新兴领域青年"),
]


def _has_term(org) -> bool:
    return Term.objects.filter(organization=org).exists()


@transaction.atomic
def seed(world, stdout=None) -> None:
    ensure_reference_data()
    for order, name in enumerate(["教师", "社区工作者", "金融青年"], start=20):
        MemberCategory.objects.get_or_create(name=name, defaults={"order": order})
    cats = list(MemberCategory.objects.order_by("order"))
    county_staff = world.get("user:county")
    today = timezone.localdate()

    # 中河街道: 53 applicants → written test, interview, vetting → 13 candidates → 1 + 4 + 6 elected on 12-09.
    zh = world["ZJ-NB-YZ-ZH"]
    if not _has_term(zh):  # the elections demo usually made it already, from the 12-09 election
        deputies = [(IN, "中河街道办事处", "机关"), (IN, "中河街道社区服务中心", "社区青年"),
                    (OUT, "华联商厦", "商贸青年"), (OUT, "宁波市中河小学", "教育系统")]  # fmt: skip
        _lineup(zh, seed=1, deputies=deputies, members=6, categories=cats[:7])
    zh_deputies = list(
        Seat.objects.filter(term__organization=zh, role=SeatRole.DEPUTY, end__isnull=True).order_by("pk")
    )
    if len(zh_deputies) >= 4 and not Review.objects.filter(seat__term__organization=zh).exists():
        names = _Names(200)
        already = Person.objects.filter(organization=zh).count()
        for n in range(53 - already):
            _person(zh, names, 100 + n, employer="中河街道辖区单位", youth_group="副书记竞选报名")
        deputy = zh_deputies[2]
        services.assignment_add(by=None, seat=deputy, kind=AssignmentKind.SECTOR, label="商贸楼宇青年")
        services.assignment_add(by=None, seat=zh_deputies[3], kind=AssignmentKind.YOUTH_GROUP,
                                label="青年教师")  # fmt: skip
        review = services.review_record(
            by=county_staff, seat=deputy, held_on=dt.date(2025, 12, 20), period="2025年度",
            report="联系商贸楼宇团组织12个，开展青年联谊活动4次。",
            scores=[("李明", 92, "联系青年紧密"), ("王芳", 88, ""), ("赵强", 95, "活动有特色"), ("陈静", 90, "")],
        )  # fmt: skip
        services.recommendation_record(by=county_staff, seat=deputy, target="街道政协委员",
                                       proposed_on=dt.date(2026, 1, 10), review=review, note="述职评议优秀")  # fmt: skip

    # 新兴街道: 5 deputy candidates by youth group, organization and youth recommendation and self-nomination.
    xx = world["ZJ-JX-NH-XX"]
    if not _has_term(xx):
        groups = [("某餐饮娱乐企业", "餐饮娱乐"), ("某电子商务企业", "电子商务"), ("新兴街道中心小学", "教育系统"),
                  ("96345社区服务中心", "96345社区服务中心"), ("新兴街道某村", "大学生村官")]  # fmt: skip
        _lineup(xx, seed=300, deputies=[(OUT, e, g) for e, g in groups], members=4, categories=cats[:7])

    # 鄞州区: complete and incomplete lineups.
    if not _has_term(world["ZJ-NB-YZ-ZGM"]):
        _lineup(world["ZJ-NB-YZ-ZGM"], seed=400, deputies=STANDARD_DEPUTIES, members=6, categories=cats)
    sn = world["ZJ-NB-YZ-SN"]
    if not _has_term(sn):
        _term, seats = _lineup(sn, seed=500, deputies=STANDARD_DEPUTIES, members=6, categories=cats)
        failing = seats[SeatRole.DEPUTY][2]
        services.talk_record(by=county_staff, seat=failing, held_on=dt.date(2025, 9, 15), talked_by="陈鄞青",
                             content="半年未联系所分工的非公企业团组织，未兑现竞选承诺。",
                             outcome=TalkOutcome.NO_CHANGE)  # fmt: skip
        services.seat_order_resignation(by=county_staff, seat=failing, on=dt.date(2025, 11, 1),
                                        reason="劝勉后仍未整改，责令辞职。")  # fmt: skip
    xy = world["ZJ-NB-YZ-XY"]
    if not _has_term(xy):
        _term, seats = _lineup(xy, seed=600, deputies=STANDARD_DEPUTIES, members=7, categories=cats)
        services.seat_vacate(by=None, seat=seats[SeatRole.SECRETARY][0], on=today - dt.timedelta(days=20),
                             reason=EndReason.TRANSFERRED, note="调任区级部门")  # fmt: skip
    if not _has_term(world["ZJ-NB-YZ-DL"]):
        _lineup(world["ZJ-NB-YZ-DL"], seed=700, deputies=STANDARD_DEPUTIES, members=5, categories=cats,
                start=dt.date(2022, 3, 1), end=today + dt.timedelta(days=120))  # fmt: skip
    if not _has_term(world["ZJ-NB-YZ-JS"]):
        _lineup(world["ZJ-NB-YZ-JS"], seed=800, deputies=STANDARD_DEPUTIES[:2] + [(OUT, "种植合作社", "青年致富带头人")],
                members=2, categories=cats)  # fmt: skip

    # 路桥街道: 44 committees in 5 regions, one deputy secretary per region.
    lq = world["ZJ-TZ-LQ-LQ"]
    if not _has_term(lq):
        deputies = [(IN, "路桥街道办事处", "机关"), (OUT, "某社区", "社区青年"), (OUT, "某村", "农村青年"),
                    (OUT, "路桥中学", "教育系统"), (OUT, "某民营企业", "两新组织青年")]  # fmt: skip
        _term, seats = _lineup(lq, seed=900, deputies=deputies, members=6, categories=cats)
        for seat, region in zip(seats[SeatRole.DEPUTY], lq.regions.order_by("order"), strict=False):
            services.assignment_add(by=None, seat=seat, kind=AssignmentKind.REGION, region=region)
    if stdout is not None:
        count = Term.objects.filter(
            organization__code__in=[k for k in world if not k.startswith("user:")]
        ).count()
        stdout.write(f"  lineups: {count} terms")
