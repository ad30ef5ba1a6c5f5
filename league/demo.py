"""Demo organization tree and personas, taken from the seed documents (../shared/seeds/).

`seed(world)` is idempotent: organizations are found by code, personas by username. `seed_scale(n)` adds
n synthetic counties (with streets/townships and branches) in bulk, deterministically.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max

from .models import Domain, Kind, Level, Membership, Organization, Region, Role, path_segment

DEMO_PASSWORD = "league-demo"

P, C, K, S, G = Level.PROVINCE, Level.CITY, Level.COUNTY, Level.STREET, Level.GRASSROOTS
COMMITTEE, WORKING, GENERAL, BRANCH = Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH

# (code, name, level, kind, domain, children)
ZHEJIANG_CITIES = [
    ("ZJ-HZ", "团杭州市委"), ("ZJ-NB", "团宁波市委"), ("ZJ-WZ", "团温州市委"), ("ZJ-JX", "团嘉兴市委"),
    ("ZJ-HUZ", "团湖州市委"), ("ZJ-SX", "团绍兴市委"), ("ZJ-JH", "团金华市委"), ("ZJ-QZ", "团衢州市委"),
    ("ZJ-ZS", "团舟山市委"), ("ZJ-TZ", "团台州市委"), ("ZJ-LS", "团丽水市委"),
]  # fmt: skip

ZHONGHE_UNITS = [
    ("划船社区团支部", Domain.URBAN_STREET), ("惊驾社区团支部", Domain.URBAN_STREET),
    ("长春社区团支部", Domain.URBAN_STREET), ("宋诏桥社区团支部", Domain.URBAN_STREET),
    ("锦寓社区团支部", Domain.URBAN_STREET), ("中河街道机关团支部", Domain.GOVERNMENT),
    ("华联商厦团支部", Domain.NONPUBLIC_ENTERPRISE), ("宁波市中河小学团支部", Domain.SCHOOL),
]  # fmt: skip
SHOUNAN_UNITS = [
    ("首南社区团支部", Domain.URBAN_STREET), ("日丽社区团支部", Domain.URBAN_STREET),
    ("泰安社区团支部", Domain.URBAN_STREET), ("首南街道机关团支部", Domain.GOVERNMENT),
]  # fmt: skip
LUQIAO_REGIONS = ["第一片区", "第二片区", "第三片区", "第四片区", "第五片区"]
LANZHOU_ATTACHED = [
    ("兰州市直机关团工委", WORKING, Domain.GOVERNMENT), ("兰州城市学院团委", COMMITTEE, Domain.SCHOOL),
    ("兰州市第一人民医院团委", COMMITTEE, Domain.SOCIAL_ORGANIZATION),
    ("兰州市第二人民医院团委", COMMITTEE, Domain.SOCIAL_ORGANIZATION),
    ("兰州公交集团团委", COMMITTEE, Domain.STATE_ENTERPRISE), ("兰州银行团委", COMMITTEE, Domain.STATE_ENTERPRISE),
    ("兰州市第一中学团委", COMMITTEE, Domain.SCHOOL), ("兰州市第二十七中学团委", COMMITTEE, Domain.SCHOOL),
    ("兰州佛慈制药团委", COMMITTEE, Domain.NONPUBLIC_ENTERPRISE), ("兰州市青年企业家协会团委", COMMITTEE, Domain.SOCIAL_ORGANIZATION),
    ("兰州市城市发展投资有限公司团委", COMMITTEE, Domain.STATE_ENTERPRISE), ("兰州市消防救援支队团委", COMMITTEE, Domain.GOVERNMENT),
]  # fmt: skip

PERSONAS = [
    # username, full name, role, organization code, title
    ("admin", "平台管理员", Role.ADMIN, "ZJ", "信息中心"),
    ("province", "王省青", Role.STAFF, "ZJ", "组织部"),
    ("city", "李甬青", Role.STAFF, "ZJ-NB", "组织部"),
    ("county", "陈鄞青", Role.STAFF, "ZJ-NB-YZ", "组织部"),
    ("street", "张中河", Role.SECRETARY, "ZJ-NB-YZ-ZH", "书记"),
    ("street_sibling", "赵首南", Role.SECRETARY, "ZJ-NB-YZ-SN", "书记"),
    ("instructor", "周指导", Role.INSTRUCTOR, "ZJ-NB-YZ-ZH", "指导员"),
]


class World(dict):
    """Organizations by code and personas by username, handed to each app's demo seeder."""

    def org(self, code: str) -> Organization:
        return self[code]

    def user(self, username: str):
        return self[f"user:{username}"]


def _org(world: World, code, name, level, parent=None, kind=COMMITTEE, domain=Domain.GOVERNMENT, region=None):
    org = Organization.objects.filter(code=code).first()
    if org is None:
        org = Organization(
            code=code, name=name, level=level, kind=kind, domain=domain, parent=parent, region=region
        )
        org.save()
    world[code] = org
    return org


@transaction.atomic
def seed(world: World) -> World:
    # 浙江: the 2009 street pilot (seed 000) and the 2012 county "1+3+X" plan (seed 001).
    zj = _org(world, "ZJ", "团浙江省委", P)
    cities = {code: _org(world, code, name, C, zj) for code, name in ZHEJIANG_CITIES}
    yz = _org(world, "ZJ-NB-YZ", "团鄞州区委", K, cities["ZJ-NB"])
    zh = _org(world, "ZJ-NB-YZ-ZH", "鄞州区中河街道团工委", S, yz, WORKING, Domain.URBAN_STREET)
    sn = _org(world, "ZJ-NB-YZ-SN", "鄞州区首南街道团工委", S, yz, WORKING, Domain.URBAN_STREET)
    for code, name, domain in [
        ("ZJ-NB-YZ-ZGM", "鄞州区钟公庙街道团工委", Domain.URBAN_STREET),
        ("ZJ-NB-YZ-XY", "鄞州区下应街道团工委", Domain.URBAN_STREET),
        ("ZJ-NB-YZ-DL", "鄞州区东柳街道团工委", Domain.URBAN_STREET),
        ("ZJ-NB-YZ-JS", "鄞州区姜山镇团委", Domain.RURAL),
        ("ZJ-NB-YZ-WX", "鄞州区五乡镇团委", Domain.RURAL),
    ]:
        _org(world, code, name, S, yz, WORKING if "街道" in name else COMMITTEE, domain)
    for i, (name, domain) in enumerate(ZHONGHE_UNITS, start=1):
        _org(world, f"ZJ-NB-YZ-ZH-{i:02d}", f"中河街道{name}", G, zh, BRANCH, domain)
    for i, (name, domain) in enumerate(SHOUNAN_UNITS, start=1):
        _org(world, f"ZJ-NB-YZ-SN-{i:02d}", f"首南街道{name}", G, sn, BRANCH, domain)
    jb = _org(world, "ZJ-NB-JB", "团江北区委", K, cities["ZJ-NB"])
    _org(world, "ZJ-NB-JB-ZQ", "江北区庄桥街道团工委", S, jb, WORKING, Domain.URBAN_STREET)
    xc = _org(world, "ZJ-HZ-XC", "团下城区委", K, cities["ZJ-HZ"])
    _org(world, "ZJ-HZ-XC-TS", "下城区天水街道团工委", S, xc, WORKING, Domain.URBAN_STREET)
    nh = _org(world, "ZJ-JX-NH", "团南湖区委", K, cities["ZJ-JX"])
    _org(world, "ZJ-JX-NH-XX", "南湖区新兴街道团工委", S, nh, WORKING, Domain.URBAN_STREET)
    jj = _org(world, "ZJ-TZ-JJ", "团椒江区委", K, cities["ZJ-TZ"])
    _org(world, "ZJ-TZ-JJ-HM", "椒江区海门街道团工委", S, jj, WORKING, Domain.URBAN_STREET)
    lq = _org(world, "ZJ-TZ-LQ", "团路桥区委", K, cities["ZJ-TZ"])
    lqjd = _org(world, "ZJ-TZ-LQ-LQ", "路桥区路桥街道团工委", S, lq, WORKING, Domain.URBAN_STREET)
    # 路桥街道: 44 grassroots committees split into 5 regions, one per deputy secretary (seed 000).
    regions = []
    for order, name in enumerate(LUQIAO_REGIONS, start=1):
        region, _ = Region.objects.get_or_create(organization=lqjd, name=name, defaults={"order": order})
        regions.append(region)
    for i in range(1, 45):
        domain = [Domain.URBAN_STREET, Domain.RURAL, Domain.NONPUBLIC_ENTERPRISE, Domain.SCHOOL][i % 4]
        kind = BRANCH if i % 3 else GENERAL
        label = {Domain.URBAN_STREET: "社区", Domain.RURAL: "村", Domain.NONPUBLIC_ENTERPRISE: "企业",
                 Domain.SCHOOL: "学校"}[domain]  # fmt: skip
        _org(world, f"ZJ-TZ-LQ-LQ-{i:02d}", f"路桥街道第{i}{label}团{'支部' if kind == BRANCH else '总支'}", G, lqjd,
             kind, domain, regions[(i - 1) * 5 // 44])  # fmt: skip
    wc = _org(world, "ZJ-JH-WC", "团婺城区委", K, cities["ZJ-JH"])
    for code, name in [
        ("CD", "城东街道"),
        ("CZ", "城中街道"),
        ("CX", "城西街道"),
        ("CB", "城北街道"),
        ("XS", "新狮街道"),
    ]:
        _org(world, f"ZJ-JH-WC-{code}", f"婺城区{name}团工委", S, wc, WORKING, Domain.URBAN_STREET)

    # 天津静海县: the 2010 pilot with its five pilot units and paired government-organ branches (seed 003).
    tj = _org(world, "TJ", "团天津市委", P)
    jh = _org(world, "TJ-JH", "团静海县委", K, tj)
    _org(world, "TJ-JH-DQZ", "大邱庄镇团委", S, jh, COMMITTEE, Domain.RURAL)
    _org(world, "TJ-JH-WK", "王口镇团委", S, jh, COMMITTEE, Domain.RURAL)
    _org(world, "TJ-JH-YHXX", "瀛海学校团委", G, jh, COMMITTEE, Domain.SCHOOL)
    _org(world, "TJ-JH-HXGY", "恒兴钢业有限公司团委", G, jh, COMMITTEE, Domain.NONPUBLIC_ENTERPRISE)
    _org(world, "TJ-JH-SFLM", "顺丰林木种植专业合作社团支部", G, jh, BRANCH, Domain.SOCIAL_ORGANIZATION)
    for code, name, kind in [
        ("GS", "国家税务局静海县团总支", GENERAL), ("JYJ", "静海县教育局团委", COMMITTEE),
        ("DSJ", "地方税务局静海县团支部", BRANCH), ("WSJ", "静海县卫生局团委", COMMITTEE),
        ("GSJ", "静海县工商局团支部", BRANCH),
    ]:  # fmt: skip
        _org(world, f"TJ-JH-{code}", name, G, jh, kind, Domain.GOVERNMENT)

    # 江苏泰州姜堰区: the 2021-2022 county reform pilot (seed 002).
    js = _org(world, "JS", "团江苏省委", P)
    tz = _org(world, "JS-TZ", "团泰州市委", C, js)
    jy = _org(world, "JS-TZ-JY", "团姜堰区委", K, tz)
    for code, name, domain in [
        ("SS", "三水街道团工委", Domain.URBAN_STREET), ("LT", "罗塘街道团工委", Domain.URBAN_STREET),
        ("LX", "梁徐街道团工委", Domain.URBAN_STREET), ("QT", "溱潼镇团委", Domain.RURAL),
        ("ZD", "张甸镇团委", Domain.RURAL), ("QH", "桥头镇团委", Domain.RURAL),
    ]:  # fmt: skip
        _org(
            world,
            f"JS-TZ-JY-{code}",
            f"姜堰区{name}",
            S,
            jy,
            WORKING if "街道" in name else COMMITTEE,
            domain,
        )

    # 兰州: the 2019-2021 standardization program over its directly attached organizations (seed 004).
    gs = _org(world, "GS", "团甘肃省委", P)
    lz = _org(world, "GS-LZ", "团兰州市委", C, gs)
    for code, name in [
        ("CG", "团城关区委"),
        ("QLH", "团七里河区委"),
        ("XG", "团西固区委"),
        ("AN", "团安宁区委"),
    ]:
        county = _org(world, f"GS-LZ-{code}", name, K, lz)
        for j, street in enumerate(["第一街道", "第二街道"], start=1):
            _org(
                world,
                f"GS-LZ-{code}-{j:02d}",
                f"{name[1:-1]}{street}团工委",
                S,
                county,
                WORKING,
                Domain.URBAN_STREET,
            )
    for i, (name, kind, domain) in enumerate(LANZHOU_ATTACHED, start=1):
        _org(world, f"GS-LZ-ZS-{i:02d}", name, G, lz, kind, domain)

    _seed_personas(world)
    return world


def _seed_personas(world: World) -> None:
    User = get_user_model()
    for username, full_name, role, code, title in PERSONAS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=full_name[1:], last_name=full_name[0])
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.email = f"{username}@demo.league.local"
            user.save()
        Membership.objects.get_or_create(
            user=user, organization=world[code], role=role, defaults={"title": title}
        )
        world[f"user:{username}"] = user


def load_world() -> World:
    """The demo world as already stored (for app seeders run on their own)."""
    world = World()
    for org in Organization.objects.filter(code__in=_demo_codes()):
        world[org.code] = org
    User = get_user_model()
    for user in User.objects.filter(username__in=[p[0] for p in PERSONAS]):
        world[f"user:{user.username}"] = user
    return world


def _demo_codes() -> list[str]:
    return list(Organization.objects.exclude(code__startswith="SYN-").values_list("code", flat=True))


# --- synthetic scale data ----------------------------------------------------------------------------

COUNTIES_PER_CITY = 10
CITIES_PER_PROVINCE = 10


def seed_scale(counties: int, streets_per_county: int = 13, branches_per_street: int = 5, stdout=None) -> int:
    """Ensure `counties` synthetic counties exist (codes SYN-K1...), each with its streets/townships and
    branches, under synthetic provinces and cities. Ids and paths are assigned in Python so every level
    goes in with one bulk INSERT per batch. Returns the number of organizations created."""
    existing = set(
        Organization.objects.filter(code__startswith="SYN-", level=Level.COUNTY).values_list(
            "code", flat=True
        )
    )
    wanted = [i for i in range(1, counties + 1) if f"SYN-K{i}" not in existing]
    if not wanted:
        return 0
    known = {
        o.code: o for o in Organization.objects.filter(code__startswith="SYN-").exclude(level__in=[S, G, K])
    }
    next_id = (Organization.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    rows: list[Organization] = []

    def add(code, name, level, parent_path, kind=COMMITTEE, domain=Domain.GOVERNMENT) -> Organization:
        nonlocal next_id
        org = Organization(
            id=next_id, code=code, name=name, level=level, kind=kind, domain=domain,
            path=parent_path + path_segment(next_id), parent_id=int(parent_path.split(".")[-2]) if parent_path else None,
        )  # fmt: skip
        org.depth = org.path.count(".") - 1
        next_id += 1
        rows.append(org)
        known[code] = org
        return org

    for i in wanted:
        p_index = (i - 1) // (COUNTIES_PER_CITY * CITIES_PER_PROVINCE) + 1
        c_index = (i - 1) // COUNTIES_PER_CITY + 1
        province = known.get(f"SYN-P{p_index}") or add(f"SYN-P{p_index}", f"合成团省委{p_index}", P, "")
        city = known.get(f"SYN-C{c_index}") or add(
            f"SYN-C{c_index}", f"合成团市委{c_index}", C, province.path
        )
        county = add(f"SYN-K{i}", f"合成团县委{i}", K, city.path)
        for s in range(1, streets_per_county + 1):
            rural = s % 2 == 0
            street = add(
                f"SYN-K{i}-S{s}", f"合成县{i}{'乡镇团委' if rural else '街道团工委'}{s}", S, county.path,
                COMMITTEE if rural else WORKING, Domain.RURAL if rural else Domain.URBAN_STREET,
            )  # fmt: skip
            for b in range(1, branches_per_street + 1):
                add(f"SYN-K{i}-S{s}-B{b}", f"合成县{i}第{s}街镇团支部{b}", G, street.path, BRANCH,
                    Domain.RURAL if rural else Domain.URBAN_STREET)  # fmt: skip
    with transaction.atomic():
        batch = 5000
        for start in range(0, len(rows), batch):
            Organization.objects.bulk_create(rows[start : start + batch])
            if stdout and start and start % 50000 == 0:
                stdout.write(f"  {start} organizations…")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Organization._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    return len(rows)


def synthetic_username(org_code: str, role: str) -> str:
    """Login of a synthetic secretary/staff: sec-SYN-K1-S1, staff-SYN-P1 (password DEMO_PASSWORD)."""
    return f"{'sec' if role == Role.SECRETARY else 'staff'}-{org_code}"


def seed_scale_people(stdout=None) -> int:
    """One secretary per synthetic street/township and one staff member per synthetic province, city and
    county, in bulk (one password hash computed once). Idempotent; returns the number of users created."""
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    wanted = {
        synthetic_username(code, Role.SECRETARY if level == S else Role.STAFF): (org_id, level)
        for org_id, code, level in Organization.objects.filter(
            code__startswith="SYN-", level__in=[P, C, K, S]
        ).values_list("id", "code", "level")
    }
    existing = set(User.objects.filter(username__in=list(wanted)).values_list("username", flat=True))
    missing = [name for name in wanted if name not in existing]
    if not missing:
        return 0
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        for start in range(0, len(missing), 5000):
            chunk = missing[start : start + 5000]
            users = User.objects.bulk_create(
                [User(username=name, password=password, first_name=name, is_active=True) for name in chunk]
            )
            if users and users[0].pk is None:  # backends without RETURNING
                users = list(User.objects.filter(username__in=chunk))
            Membership.objects.bulk_create(
                [
                    Membership(
                        user_id=user.pk,
                        organization_id=wanted[user.username][0],
                        role=Role.SECRETARY if wanted[user.username][1] == S else Role.STAFF,
                        title="书记" if wanted[user.username][1] == S else "组织部",
                    )
                    for user in users
                ]
            )
    return len(missing)
