"""Demo elections, loaded by `manage.py seed_demo` after the organization tree (idempotent: by title).

- 中河街道 (seed 000): 53 young people applied; after written test, interview and vetting 13 became
  candidates; the members' meeting on 12月9日 elected 1 secretary, 4 deputies and 6 members. Appointed.
- 首南街道: at the congress, round 1 open with part of the paper ballots entered.
- 钟公庙街道: elected and approved, in publicity (the public notice takes objections).
- 下应街道: formal candidates confirmed and the roll ready: the vote can start (the browser journey's start).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from league import services_lineups
from league.models import Term

from . import services
from .models import CongressKind, Election, Post, Source, Vetting, VoterRole
from .tally import YES

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹熊孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "晓明华丽伟芳娜敏静磊军洋勇艳杰娟涛超霞平刚桂英鹏辉玲燕颖佳宇浩然欣怡子轩梓涵诗雨思远嘉俊文博一鸣天佑"
SECTORS = ["社区", "机关事业单位", "非公企业", "学校", "社会组织", "青年致富带头人", "新兴青年群体"]
UNITS = [
    "划船社区",
    "惊驾社区",
    "长春社区",
    "宋诏桥社区",
    "锦寓社区",
    "中河街道办事处",
    "华联商厦",
    "中河小学",
]


def _names(rnd: random.Random, n: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < n:
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.7 else "")
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _prepare(
    *, org, by, title, seats, applicants, formal, voters, present, meeting, rnd, kind=CongressKind.MEMBERS
):
    """Create an election and bring it to the formal list with its roll (present as given)."""
    sec, dep, mem = seats
    e = services.election_create(
        by=by, organization=org, title=title, term_label="第三届", congress_kind=kind, meeting_date=meeting,
        secretary_seats=sec, deputy_seats=dep, member_seats=mem,
    )  # fmt: skip
    services.quota_set(by=by, election=e, category="青年致富带头人", seats=1)
    services.quota_set(by=by, election=e, category="社区工作者", seats=2)
    services.nomination_open(by=by, election=e)
    taken: set[str] = set()
    sources = [Source.ORGANIZATION, Source.MEMBERS, Source.SELF]
    for i, name in enumerate(_names(rnd, applicants, taken)):
        services.candidate_nominate(
            by=by, election=e, name=name, source=sources[i % 3], gender="mf"[i % 2],
            birth_date=datetime.date(1980 + i % 12, 1 + i % 12, 1 + i % 27), unit=UNITS[i % len(UNITS)],
            sector=SECTORS[i % len(SECTORS)], bio=f"{UNITS[i % len(UNITS)]}青年，热心公益，组织过多次社区志愿服务。",
            pledge="当选后每月走访青年，每季度办成一件实事，接受团员青年监督，做不到主动辞职。",
        )  # fmt: skip
    services.nomination_close(by=by, election=e)
    candidates = list(e.candidates.order_by("id"))
    passed = set(rnd.sample(range(len(candidates)), formal))
    for i, c in enumerate(candidates):
        ok = i in passed
        services.screening_record(
            by=by, candidate=c, written_score=rnd.randint(75, 95) if ok else rnd.randint(50, 74),
            interview_score=rnd.randint(78, 96) if ok else rnd.randint(55, 77),
            vetting=Vetting.PASSED if ok else Vetting.FAILED, notes="" if ok else "综合排名未进入候选人行列",
        )  # fmt: skip
    services.formal_confirm(
        by=by, election=e, candidates=[c for i, c in enumerate(candidates) if i in passed],
        confirmed_by=f"{org.name.replace('团工委', '').replace('团委', '')}党工委", confirmed_on=meeting - datetime.timedelta(days=10),
    )  # fmt: skip
    lines = []
    for i, name in enumerate(_names(rnd, voters, taken)):
        lines.append(f"{name}, {SECTORS[i % len(SECTORS)]}")
    services.roll_add_lines(by=by, election=e, text="\n".join(lines))
    for i, v in enumerate(e.voters.order_by("id")):
        role = VoterRole.COUNTER if i < 2 else VoterRole.SCRUTINEER if i == 2 else VoterRole.VOTER
        services.voter_update(
            by=by, voter=v, present=i < present, credentials_checked=True, on_probation=False, role=role
        )
    return e


def _enter(rnd_obj, by, ballots, limit=None):
    counters = list(rnd_obj.election.voters.filter(role=VoterRole.COUNTER).order_by("id"))
    ids = {c.name: str(c.pk) for c in rnd_obj.candidates.all()}
    for number, yes in enumerate(ballots[:limit] if limit else ballots, start=1):
        marks = {ids[n]: YES for n in yes}
        for entry in (1, 2):
            services.ballot_enter(
                by=by, rnd=rnd_obj, paper_number=number, entry=entry, counter=counters[entry - 1],
                marks=marks, write_ins=[],
            )  # fmt: skip


def _congress_ballots(rnd, candidates, seats, present):
    """Ballots where the first `seats` candidates win clearly and the others fall short."""
    names = [c.name for c in candidates]
    winners, others = names[:seats], names[seats:]
    ballots = []
    for _ in range(present):
        yes = [n for n in winners if rnd.random() < 0.85]
        yes += [n for n in others if rnd.random() < 0.3]
        ballots.append(yes[:seats])
    return ballots


def _elect_committee(e, by, rnd):
    round1 = e.rounds.get(number=1)
    candidates = list(round1.candidates.order_by("id"))
    _enter(round1, by, _congress_ballots(rnd, candidates, round1.seats, round1.voters_present))
    services.round_certify(by=by, rnd=round1)
    e.refresh_from_db()
    committee = list(e.candidates.filter(elected=True).order_by("id"))
    present = len(committee)
    sec = services.officer_round_open(
        by=by, election=e, post=Post.SECRETARY, candidates=committee[:1], voters_present=present
    )
    _enter(sec, by, [[committee[0].name]] * present)
    services.round_certify(by=by, rnd=sec)
    deputies = committee[1 : 2 + e.deputy_seats]
    dep = services.officer_round_open(
        by=by, election=e, post=Post.DEPUTY, candidates=deputies, voters_present=present
    )
    majority = present // 2 + 2
    ballots = [[c.name for c in deputies[: e.deputy_seats]]] * majority
    ballots += [[c.name for c in deputies[1:]]] * (present - majority)
    _enter(dep, by, ballots)
    services.round_certify(by=by, rnd=dep)
    e.refresh_from_db()


def _working_days_back(day: datetime.date, n: int) -> datetime.date:
    while n:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@transaction.atomic
def seed(world, stdout=None):
    """Add this app's demo data; `world` maps organization codes and persona names to objects."""
    by = world["user:county"]
    today = timezone.localdate()
    made = 0

    org = world["ZJ-NB-YZ-ZH"]
    title = "中河街道团工委第三届委员会选举"
    if not Election.objects.filter(organization=org, title=title).exists():
        rnd = random.Random(9)
        meeting = datetime.date(today.year - 1, 12, 9)
        e = _prepare(org=org, by=by, title=title, seats=(1, 4, 6), applicants=53, formal=13, voters=60,
                     present=56, meeting=meeting, rnd=rnd)  # fmt: skip
        services.vote_start(by=by, election=e)
        _elect_committee(e, by, rnd)
        services.report_approve(
            by=by,
            election=e,
            approved_by="中河街道党工委、团鄞州区委",
            approved_on=meeting + datetime.timedelta(days=2),
        )
        start = meeting + datetime.timedelta(days=3)
        services.publicity_open(by=by, election=e, start=start)
        e.refresh_from_db()
        on = e.publicity_end + datetime.timedelta(days=1)
        term = Term.objects.filter(organization=org, start__lte=on, end__gt=on).first()
        if term is None:
            term = services_lineups.term_create(
                by=by, organization=org, number=3, start=on, end=on.replace(year=on.year + 5)
            )
        services.appoint(by=by, election=e, on=on, term=term)
        _complete_zhonghe_seats(term, by)
        made += 1

    org = world["ZJ-NB-YZ-SN"]
    title = "首南街道团工委第三届委员会选举"
    if not Election.objects.filter(organization=org, title=title).exists():
        rnd = random.Random(17)
        e = _prepare(org=org, by=by, title=title, seats=(1, 3, 5), applicants=16, formal=11, voters=30,
                     present=27, meeting=today, rnd=rnd)  # fmt: skip
        services.vote_start(by=by, election=e)
        round1 = e.rounds.get()
        _enter(
            round1,
            by,
            _congress_ballots(rnd, list(round1.candidates.order_by("id")), round1.seats, 27),
            limit=12,
        )
        made += 1

    org = world["ZJ-NB-YZ-ZGM"]
    title = "钟公庙街道团工委第三届委员会选举"
    if not Election.objects.filter(organization=org, title=title).exists():
        rnd = random.Random(23)
        start = _working_days_back(today, 2)
        e = _prepare(org=org, by=by, title=title, seats=(1, 3, 5), applicants=14, formal=10, voters=25,
                     present=24, meeting=start - datetime.timedelta(days=7), rnd=rnd)  # fmt: skip
        services.vote_start(by=by, election=e)
        _elect_committee(e, by, rnd)
        services.report_approve(
            by=by, election=e, approved_by="钟公庙街道党工委、团鄞州区委", approved_on=start
        )
        services.publicity_open(by=by, election=e, start=start)
        made += 1

    org = world["ZJ-NB-YZ-XY"]
    title = "下应街道团工委第三届委员会选举"
    if not Election.objects.filter(organization=org, title=title).exists():
        _prepare(org=org, by=by, title=title, seats=(1, 3, 5), applicants=12, formal=10, voters=20, present=18,
                 meeting=today, rnd=random.Random(31))  # fmt: skip
        made += 1
    if stdout is not None:
        stdout.write(f"Elections: {made} demo elections added.")
    return world


def _complete_zhonghe_seats(term, by) -> None:
    """The ballot does not carry establishment or member category; staff set them after appointment, as
    中河街道 did (seed 000): two deputies from outside the establishment (商贸楼宇, 学校), members by category."""
    from league.models import Establishment, MemberCategory, Seat, SeatRole

    deputies = list(Seat.objects.filter(term=term, role=SeatRole.DEPUTY, end__isnull=True).order_by("pk"))
    for seat in deputies[2:4]:
        services_lineups.seat_update(by=by, seat=seat, establishment=Establishment.OUTSIDE)
    categories = list(MemberCategory.objects.order_by("order")[:7])
    members = Seat.objects.filter(term=term, role=SeatRole.MEMBER, end__isnull=True).order_by("pk")
    for seat, category in zip(members, categories, strict=False):
        services_lineups.seat_update(by=by, seat=seat, category=category)
