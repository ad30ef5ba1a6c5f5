"""Every form and import, fuzzed with hypothesis: no server error, a clear message, nothing stored.

Values: text in many scripts, control characters, injections, huge inputs, malformed numbers and dates,
files that are not Excel (see tests/fuzzing.py). A Form class in the project without a fuzz case fails
test_every_project_form_has_a_fuzz_case.
"""

import io
import os

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from league.models import Organization
from league.services import ORG_HEADERS
from tests.fuzzing import INJECTION, SCRIPTS, form_data, fuzz_cases, project_form_classes, text_values
from tests.test_url_authorization import NOT_DATA  # sessions, login throttling, kept lineup verdicts

ERROR_MARKERS = ("invalid-feedback", "alert-danger", "errorlist", "text-danger", "登录失败次数过多")
# `make test` fuzzes with a fixed seed, so a submission passes or fails on its own code, not on the draw;
# `make fuzz` (FUZZ_RANDOM=1, more examples) explores fresh values each run and is how new bugs are found.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
CASES = fuzz_cases()


def row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in NOT_DATA and m._meta.managed and not m._meta.proxy
    }


def test_every_project_form_has_a_fuzz_case():
    forms_ = project_form_classes()
    assert "league.forms.ImportForm" in forms_ and "league.forms.OrganizationForm" in forms_
    missing = set(forms_) - set(CASES)
    assert missing == KNOWN_GAPS, (
        f"forms without a fuzz case (add them to tests/<app>/fuzzcases.py): {sorted(missing - KNOWN_GAPS)}; "
        f"covered now, remove from KNOWN_GAPS: {sorted(KNOWN_GAPS - missing)}"
    )


# Every project form has a fuzz case; keep it so (do not add to this set).
KNOWN_GAPS: set[str] = set()


def _client(world, persona):
    client = Client(raise_request_exception=False)
    if persona:
        client.force_login(world.users[persona])
    return client


def check(response, before, case):
    where = (response.status_code, response.content[:300])
    assert response.status_code < 500, where
    if response.status_code in case.success_status:
        return
    assert response.status_code in case.refused_status, where
    body = response.content.decode()
    assert any(marker in body for marker in ERROR_MARKERS), f"refused without a message: {where}"
    assert row_counts() == before, "a refused submission stored something"


def _judge_followed(response, before, case):
    """A view that redirects either way: an error message on the page it leads to is a refusal."""
    where = (response.status_code, response.redirect_chain, response.content[:300])
    assert response.status_code < 500, where
    body = response.content.decode()
    if "alert-danger" in body or "errorlist" in body:
        assert row_counts() == before, "a refused submission stored something"


@pytest.mark.parametrize("key", sorted(CASES))
def test_fuzzed_form_never_errors_and_refusals_store_nothing(key, world):
    case = CASES[key]
    form_class = case.form or project_form_classes()[key]
    client = _client(world, case.persona)
    case.url(world)  # build the objects behind the URL once, outside the examples

    @FUZZ
    @given(data=form_data(form_class, case.prefix, case.choices(world)))
    def run(data):
        url = case.url(world)
        # A browser always sends the CSRF token, so a POST is never empty (an empty one reads as a GET).
        payload = {"csrfmiddlewaretoken": "fuzz", **data, **case.fixed(world)}
        for upload in payload.values():
            if hasattr(upload, "seek"):
                upload.seek(0)
        before = row_counts()
        if case.method == "get":
            response = client.get(url, {k: v for k, v in payload.items() if not hasattr(v, "seek")})
            assert response.status_code < 500, (response.status_code, response.content[:300])
            assert row_counts() == before, "a filter stored something"
        elif case.follow:
            _judge_followed(client.post(url, payload, follow=True), before, case)
        else:
            check(client.post(url, payload), before, case)

    run()


# --- the organization import, with real workbooks whose cells are hostile ---------------------------

cell_values = st.one_of(
    text_values.map(lambda s: "".join(ch for ch in s if ch.isprintable() or ch in "\t\n")[:2000]),
    st.sampled_from(SCRIPTS + INJECTION + ["基层", "团支部", "街道", "ZJ-NB-YZ-ZH", ""]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.none(),
)


def workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([str(h) for h in ORG_HEADERS.values()])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_import_of_hostile_workbooks_never_errors(world):
    client = _client(world, "county")
    case = CASES["league.forms.ImportForm"]

    @FUZZ
    @given(rows=st.lists(st.lists(cell_values, min_size=0, max_size=9), min_size=0, max_size=8))
    def run(rows):
        before = row_counts()
        upload = SimpleUploadedFile("orgs.xlsx", workbook(rows))
        response = client.post("/orgs/import/", {"file": upload})
        check(response, before, case)

    run()


def test_a_nul_character_is_refused_by_field_name_and_stores_nothing(world, client_for):
    response = client_for("county").post(
        f"/orgs/{world.zhonghe.pk}/edit/",
        {"name": "中河\x00街道", "kind": world.zhonghe.kind, "domain": world.zhonghe.domain, "version": 1},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="error_1_id_name"' in body
    assert Organization.objects.get(pk=world.zhonghe.pk).version == 1
