"""Demo grassroots work from the seeds: 兰州's theme days and lectures (seed 004), 姜堰's youth homes,
officers, projects, reform measures and funding (seed 002). Idempotent: rows are found by natural keys.
Dates are relative to today, so the demo always shows the last few months."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .models import (
    CoverageGap,
    Handover,
    HomeActivity,
    Lecture,
    LectureKind,
    OfficerAssessment,
    ProjectActivity,
    ReformMeasure,
    ServiceProject,
    ThemeDay,
    ThemeDayItem,
    TransferRate,
    ValueType,
    YouthFunding,
    YouthHome,
    YouthOfficer,
)

LECTURES = [
    (LectureKind.MASTER, "时代楷模谈初心", "全国道德模范代表", "兰州市青少年活动中心", 320),
    (LectureKind.CIVICS, "新时代青年的使命担当", "兰州大学马克思主义学院教授", "兰州城市学院报告厅", 260),
    (LectureKind.FORUM, "话改革·议青春 青年论坛", "各行业优秀青年代表", "兰州青年读书吧", 120),
    (LectureKind.MOBILE, "流动教室走进乡村", "团市委讲师团", "榆中县青年之家", 85),
]
JIANGYAN_HOMES = [
    ("JS-TZ-JY", "姜堰区青年之家旗舰店", "flagship", "姜堰区人民中路青年创业园", "周二至周日 9:00-21:00"),
    ("JS-TZ-JY-QT", "溱湖青年之家专营店", "specialty", "溱潼镇溱湖风景区游客中心", "周末 9:00-17:00"),
    ("JS-TZ-JY-LT", "罗塘街道青年之家专营店", "specialty", "罗塘街道党群服务中心二楼", "工作日 14:00-20:00"),
    (
        "JS-TZ-JY-SS",
        "三水街道新时代文明实践所青年之家共营店",
        "shared",
        "三水街道新时代文明实践所",
        "周一至周五 9:00-17:00",
    ),
]
JIANGYAN_OFFICERS = [  # street code, name
    ("SS", "陈思远"), ("LT", "王可欣"), ("LX", "刘子涵"), ("QT", "孙雨桐"), ("ZD", "周明轩"), ("QH", "吴佳怡"),
]  # fmt: skip
JIANGYAN_PROJECTS = [
    ("JS-TZ-JY-QT", "溱湖湿地使者", True, "湿地保护宣讲与巡护志愿服务"),
    ("JS-TZ-JY", "向日葵成长护航", True, "困境青少年关爱与权益维护"),
    ("JS-TZ-JY", "自然伙伴", True, "青少年自然教育"),
    ("JS-TZ-JY", "Young国风", True, "传统文化青年活动品牌"),
    ("JS-TZ-JY", "幸福青春行", False, "青年婚恋交友与发展服务"),
]
JIANGYAN_MEASURES = [
    # lack, title, indicator, year, value type, target, actual, evidence
    ("people", "增补区级专职团干部", "新增专职团干部(人)", 2021, ValueType.NUMBER, "2", "2",
     "2021年11月配备副书记1名、选调工作人员1名"),
    ("people", "增设镇街青年助力官岗位", "配备专职青年助力官的镇街(个)", 2022, ValueType.NUMBER, "6", "6",
     "《姜堰区镇街青年助力官管理办法》"),
    ("venues", "建立学子联谊会", "建立联谊会的城市(座)", 2021, ValueType.NUMBER, "10", "10",
     "上海、广州、天津、合肥、重庆、武汉、长沙、南京、哈尔滨、杭州"),
    ("venues", "建设青年之家旗舰店", "区级旗舰店建成", 2022, ValueType.YES_NO, "是", "是", "引入市场化服务管理机制"),
    ("paths", "打造1+N全域共建团校", "团校分校(所)", 2022, ValueType.NUMBER, "12", "9",
     "区委党校挂牌区级团校,中学及镇街设分校"),
    ("policy", "新增改革试点专项财政经费", "专项经费(元)", 2021, ValueType.YUAN, "25万", "25万", "2021年区财政预算"),
    ("policy", "新增改革试点专项财政经费", "专项经费(元)", 2022, ValueType.YUAN, "50万", "50万", "2022年区财政预算"),
    ("policy", "团务巡察", "开展团务巡察的建团单位(个)", 2022, ValueType.NUMBER, "320", "320",
     "十三届区委第一轮巡察起"),
]  # fmt: skip
JIANGYAN_FUNDING = [  # street, youth population, fund (yuan) for the current year
    ("SS", 21000, 75000), ("LT", 26000, 90000), ("LX", 12000, 40000),
    ("QT", 9000, 30000), ("ZD", 11000, 36000), ("QH", 9500, 20000),  # 桥头镇 below 3 yuan
]  # fmt: skip


def _months_back(today: datetime.date, n: int) -> datetime.date:
    month = today.replace(day=1)
    for _ in range(n):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


@transaction.atomic
def seed(world, stdout=None):
    today = timezone.localdate()
    services.ensure_default_items()
    items = list(ThemeDayItem.objects.filter(active=True))
    _lanzhou(world, today, items)
    _zhonghe(world, today, items)
    _jiangyan(world, today)
    if stdout:
        stdout.write("  grassroots: theme days, lectures, youth homes, officers, projects, reform measures")


def _theme_day(branch, held_on, present, total, items, own=""):
    if ThemeDay.objects.filter(organization=branch, month=held_on.replace(day=1)).exists():
        return
    services.theme_day_record(
        by=None, branch=branch, held_on=held_on, members_present=present, members_total=total, items=items,
        own_items=own, topic="不忘跟党初心·牢记青春使命",
    )  # fmt: skip


def _lanzhou(world, today, items):
    lanzhou = world["GS-LZ"]
    branches = [world[f"GS-LZ-ZS-{i:02d}"] for i in range(1, 13) if f"GS-LZ-ZS-{i:02d}" in world]
    for back in (3, 2, 1, 0):
        month = _months_back(today, back)
        day = min(month.replace(day=15), today)
        for i, branch in enumerate(branches):
            # Some branches miss each month; the current month has only just begun.
            if (i + back) % 5 == 0 or (back == 0 and i % 2):
                continue
            total = 18 + i * 3
            done = items if (i + back) % 3 else items[:5]
            _theme_day(branch, day, total - (i % 4) - 1, total, done, "志愿服务进社区" if i % 2 else "")
        kind, title, speaker, place, audience = LECTURES[back % len(LECTURES)]
        if not Lecture.objects.filter(organization=lanzhou, held_on=day, title=title).exists():
            services.lecture_record(
                by=None, organization=lanzhou, held_on=day, kind=kind, title=title, speaker=speaker, place=place,
                audience=audience, summary="以“不忘跟党初心·牢记青春使命”为主题的五四讲堂。",
            )  # fmt: skip
    for name, closed in [
        ("兰州市某民办中学", True),
        ("兰州市某民办职业学校", False),
        ("兰州市某民办外国语学校", False),
    ]:
        if not CoverageGap.objects.filter(organization=lanzhou, name=name).exists():
            gap = CoverageGap.objects.create(
                organization=lanzhou, name=name, kind="民办学校", found_on=datetime.date(2019, 5, 1)
            )
            if closed:
                services.gap_close(by=None, gap=gap, closed_on=datetime.date(2019, 11, 30))
    TransferRate.objects.get_or_create(
        organization=lanzhou, year=today.year, defaults={"graduating": 4200, "transferred": 2310}
    )
    TransferRate.objects.get_or_create(
        organization=lanzhou, year=2019, defaults={"graduating": 3900, "transferred": 1755}
    )


def _zhonghe(world, today, items):
    """Last month's theme days of most of 中河街道's branches, so the county sees a rate before the street
    records this month's."""
    last = _months_back(today, 1)
    for i in range(1, 9):
        branch = world.get(f"ZJ-NB-YZ-ZH-{i:02d}")
        if branch is None or i in (4, 7):
            continue
        _theme_day(branch, last.replace(day=20), 10 + i, 14 + i, items if i % 2 else items[:6])


def _jiangyan(world, today):
    county = world["JS-TZ-JY"]
    for code, name, tier, address, hours in JIANGYAN_HOMES:
        home = YouthHome.objects.filter(
            organization=world[code], name=name
        ).first() or services.youth_home_register(
            by=None, organization=world[code], name=name, tier=tier, address=address, opening_hours=hours
        )
        if not home.activities.exists():
            for back, (title, people) in enumerate([("青年学习社读书会", 40), ("青年创业沙龙", 25)], start=1):
                HomeActivity.objects.create(
                    home=home,
                    held_on=_months_back(today, back).replace(day=10),
                    title=title,
                    participants=people,
                )
    officers = {}
    for code, name in JIANGYAN_OFFICERS:
        street = world[f"JS-TZ-JY-{code}"]
        officer = YouthOfficer.objects.filter(
            organization=street, name=name
        ).first() or services.officer_appoint(
            by=None, organization=street, name=name, started_on=datetime.date(2021, 12, 1)
        )
        OfficerAssessment.objects.get_or_create(
            officer=officer, year=2022,
            defaults={"grade": "excellent" if code in ("QT", "SS") else "good",
                      "award_yuan": Decimal(3000 if code in ("QT", "SS") else 1500)},
        )  # fmt: skip
        officers[code] = officer
    # A handover in progress: 张甸镇's officer leaves; the successor's seat does not count until it is signed.
    zd = officers["ZD"]
    if not Handover.objects.filter(outgoing=zd).exists() and zd.left_on is None:
        successor = services.officer_appoint(
            by=None, organization=zd.organization, name="郑晓雯", started_on=today - datetime.timedelta(days=7),
            replacing=zd,
        )  # fmt: skip
        handover = Handover.objects.get(incoming=successor)
        for item in handover.items.all()[:3]:
            item.done = True
            item.save(update_fields=["done"])
    for code, name, brand, description in JIANGYAN_PROJECTS:
        org = world[code]
        project = ServiceProject.objects.filter(
            organization=org, name=name
        ).first() or services.project_create(
            by=None, organization=org, name=name, is_brand=brand, description=description
        )
        if not project.activities.exists():
            for back in (1, 2):
                ProjectActivity.objects.create(
                    project=project, held_on=_months_back(today, back).replace(day=18),
                    title=f"{name}志愿服务", volunteers=12 * back, served=60 * back,
                )  # fmt: skip
    for lack, title, indicator, year, value_type, target, actual, evidence in JIANGYAN_MEASURES:
        if not ReformMeasure.objects.filter(organization=county, title=title, year=year).exists():
            services.measure_create(
                by=None, organization=county, lack=lack, title=title, indicator=indicator, year=year,
                value_type=value_type, target=target, actual=actual, evidence=evidence,
            )  # fmt: skip
    for code, population, amount in JIANGYAN_FUNDING:
        if not YouthFunding.objects.filter(organization=world[f"JS-TZ-JY-{code}"], year=today.year).exists():
            services.funding_record(
                by=None, organization=world[f"JS-TZ-JY-{code}"], year=today.year, youth_population=population,
                amount_yuan=Decimal(amount),
            )  # fmt: skip
    for name, closed in [("姜堰区应急管理局", True), ("姜堰区城投公司", True), ("姜堰区某民营物流园", False)]:
        if not CoverageGap.objects.filter(organization=county, name=name).exists():
            gap = CoverageGap.objects.create(
                organization=county, name=name, kind="建团单位", found_on=datetime.date(2022, 3, 1)
            )
            if closed:
                services.gap_close(by=None, gap=gap, closed_on=datetime.date(2022, 9, 30))
