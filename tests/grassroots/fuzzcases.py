"""Fuzz cases for the grassroots app's forms (see tests/fuzzing.py): who posts each form to which URL."""

from grassroots.services import ensure_default_items
from tests.fuzzing import FormCase
from tests.grassroots import factories as f


def record(kind: str, persona: str = "street", org: str = "zhonghe") -> FormCase:
    return FormCase(persona=persona, url=lambda w: f"/grassroots/orgs/{getattr(w, org).pk}/add/{kind}/")


def _cached(w, name, make):
    if not hasattr(w, name):
        setattr(w, name, make())
    return getattr(w, name)


def theme_day_url(w) -> str:
    ensure_default_items()  # the seven fixed items come from a data migration a flush may have removed
    return f"/grassroots/orgs/{w.zhonghe.pk}/theme-days/new/"


FUZZ = {
    "grassroots.forms.ThemeDayForm": FormCase(
        persona="street",
        url=theme_day_url,
        multipart=True,
        choices=lambda w: {"branch": [w.zhonghe_branch.pk]},
    ),
    "grassroots.forms.LectureForm": record("lecture"),
    "grassroots.forms.YouthHomeForm": record("home"),
    "grassroots.forms.ProjectForm": record("project"),
    "grassroots.forms.OfficerForm": record("officer"),
    "grassroots.forms.FundingForm": record("funding"),
    "grassroots.forms.GapForm": record("gap"),
    "grassroots.forms.MeasureForm": record("measure", persona="county"),
    "grassroots.forms.TransferForm": record("transfer", persona="city", org="city"),
    "grassroots.forms.HomeActivityForm": FormCase(
        persona="street",
        url=lambda w: (
            f"/grassroots/homes/{_cached(w, '_fz_home', lambda: f.home(w.zhonghe)).pk}/activities/new/"
        ),
    ),
    "grassroots.forms.ProjectActivityForm": FormCase(
        persona="street",
        url=lambda w: (
            f"/grassroots/projects/{_cached(w, '_fz_proj', lambda: f.project(w.zhonghe)).pk}/activities/new/"
        ),
    ),
    "grassroots.forms.AssessmentForm": FormCase(
        persona="county",
        url=lambda w: (
            f"/grassroots/officers/{_cached(w, '_fz_officer', lambda: f.officer(w.zhonghe)).pk}/assess/"
        ),
    ),
    "grassroots.forms.MeasureActualForm": FormCase(
        persona="county",
        url=lambda w: f"/grassroots/measures/{_cached(w, '_fz_measure', lambda: f.measure(w.zhonghe)).pk}/",
    ),
    "grassroots.forms.CloseGapForm": FormCase(
        persona="street",
        url=lambda w: f"/grassroots/gaps/{_cached(w, '_fz_gap', lambda: f.gap(w.zhonghe)).pk}/close/",
    ),
}
