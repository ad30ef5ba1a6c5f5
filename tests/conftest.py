"""Personas and the small organization world every test starts from (as healthchecks' hc/test.py does).

    团浙江省委 (province)
      团宁波市委 (city)
        团鄞州区委 (county)
          鄞州区中河街道团工委 (street)  <- street (secretary), instructor
            中河街道划船社区团支部
          鄞州区首南街道团工委 (street)  <- street_sibling (secretary)
            首南街道首南社区团支部
        团江北区委 (county)               <- other_county (staff)
          江北区庄桥街道团工委
Personas: admin, province, city, county, street, street_sibling, instructor, other_county, outsider
(no role anywhere). Every test that needs more builds it on top with tests/factories.py.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client

from league.models import Domain, Kind, Level, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ROOT = Path(__file__).resolve().parent.parent

PERSONAS = [
    "admin",
    "province",
    "city",
    "county",
    "street",
    "street_sibling",
    "instructor",
    "other_county",
    "outsider",
]


def pytest_configure(config):
    """Under pytest-xdist (make test runs `-n 2`), give each worker its own var directory and its own Redis
    database, so two workers never share a stored file, a filesystem-broker queue, a backup or a beat lock,
    and a Celery worker started by one never picks up tasks queued by the other. Every worker is then the
    old single-process run on a share of the tests (each also has its own test database: pytest-django)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    from django.conf import settings

    index = int(worker.removeprefix("gw"))
    var = Path(settings.VAR_DIR) / worker
    for sub in ("static", "media", "broker/queue", "broker/processed", "broker/control"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    os.environ["VAR_DIR"] = str(var)  # for the Celery workers and servers the tests start
    settings.VAR_DIR, settings.STATIC_ROOT, settings.BROKER_DIR = var, var / "static", var / "broker"
    if "MEDIA_ROOT" not in os.environ:
        settings.MEDIA_ROOT = var / "media"
    broker = settings.CELERY_BROKER_URL
    if broker.startswith("filesystem://"):
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
            **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "data_folder_in": str(var / "broker/queue"),
            "data_folder_out": str(var / "broker/queue"),
            "processed_folder": str(var / "broker/processed"),
            "control_folder": str(var / "broker/control"),
        }
    elif broker.startswith("redis://"):
        base = broker.rsplit("/", 1)[0] if broker.count("/") > 2 else broker.rstrip("/")
        broker = f"{base}/{index + 1}"  # database 0 stays with a run without xdist
        os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL = broker
    from league.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS


def pytest_collection_modifyitems(config, items):
    """The tests against the real worker and Redis run one after another on one xdist worker (--dist loadgroup):
    they start Celery workers and Redis servers and time background work, so they are kept off each other."""
    for item in items:
        if item.get_closest_marker("realservices"):
            item.add_marker(pytest.mark.xdist_group("realservices"))


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def build_world() -> SimpleNamespace:
    org = OrganizationFactory
    w = SimpleNamespace()
    w.province = org(
        code="ZJ", name="团浙江省委", level=Level.PROVINCE, kind=Kind.COMMITTEE, domain=Domain.GOVERNMENT
    )
    w.city = org(code="ZJ-NB", name="团宁波市委", level=Level.CITY, kind=Kind.COMMITTEE, parent=w.province)
    w.county = org(code="ZJ-NB-YZ", name="团鄞州区委", level=Level.COUNTY, kind=Kind.COMMITTEE, parent=w.city)
    w.zhonghe = org(code="ZJ-NB-YZ-ZH", name="鄞州区中河街道团工委", level=Level.STREET,
                    kind=Kind.WORKING_COMMITTEE, parent=w.county)  # fmt: skip
    w.zhonghe_branch = org(code="ZJ-NB-YZ-ZH-01", name="中河街道划船社区团支部", parent=w.zhonghe)
    w.shounan = org(code="ZJ-NB-YZ-SN", name="鄞州区首南街道团工委", level=Level.STREET,
                    kind=Kind.WORKING_COMMITTEE, parent=w.county)  # fmt: skip
    w.shounan_branch = org(code="ZJ-NB-YZ-SN-01", name="首南街道首南社区团支部", parent=w.shounan)
    w.other_county_org = org(code="ZJ-NB-JB", name="团江北区委", level=Level.COUNTY, parent=w.city)
    w.zhuangqiao = org(code="ZJ-NB-JB-ZQ", name="江北区庄桥街道团工委", level=Level.STREET,
                       kind=Kind.WORKING_COMMITTEE, parent=w.other_county_org)  # fmt: skip
    roles = {
        "admin": (Role.ADMIN, w.province), "province": (Role.STAFF, w.province), "city": (Role.STAFF, w.city),
        "county": (Role.STAFF, w.county), "street": (Role.SECRETARY, w.zhonghe),
        "street_sibling": (Role.SECRETARY, w.shounan), "instructor": (Role.INSTRUCTOR, w.zhonghe),
        "other_county": (Role.STAFF, w.other_county_org),
    }  # fmt: skip
    w.users = {}
    for name in PERSONAS:
        user = UserFactory(username=name, is_staff=name == "admin", is_superuser=name == "admin")
        if name in roles:
            role, organization = roles[name]
            MembershipFactory(user=user, organization=organization, role=role)
        w.users[name] = user
    return w


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(world):
    """client_for("street") -> a Client logged in as that persona."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


# --- real services (make test starts Redis and PostgreSQL and sets the variables) --------------------


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs a real Redis: make test runs this in its PostgreSQL pass")
    return url


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, redis_url):
    """A real Celery worker process using the test database and the real Redis broker."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    db_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    env = {**os.environ, "DATABASE_URL": db_url, "CELERY_BROKER_URL": redis_url}
    log = open(Path(os.environ.get("VAR_DIR", "/tmp")) / "test-worker.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "league", "worker", "-l", "info", "--concurrency", "2",
         "-n", f"test-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    ready = False
    while time.monotonic() < deadline and not ready:
        time.sleep(0.3)
        ready = "ready." in Path(log.name).read_text()
        if proc.poll() is not None:
            break
    if not ready:
        proc.kill()
        raise RuntimeError("Celery worker did not start:\n" + Path(log.name).read_text()[-3000:])
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.2):
    """Poll until predicate() is truthy (for results of real background work); returns its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
