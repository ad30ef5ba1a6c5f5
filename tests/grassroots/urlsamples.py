"""URL samples of the grassroots app for the authorization walk: objects of 中河街道."""

from tests.grassroots import factories as f
from tests.urlwalk import DEFAULT_VISIBLE, Sample

SAMPLES = {
    "record_kind": lambda w: Sample("lecture", hidden=frozenset(), visible=DEFAULT_VISIBLE),
    "theme_day_id": lambda w: Sample(f.theme_day(w.zhonghe_branch).pk),
    "theme_photo_id": lambda w: Sample(f.photo(f.theme_day(w.zhonghe_branch)).pk),
    "youth_home_id": lambda w: Sample(f.home(w.zhonghe).pk),
    "service_project_id": lambda w: Sample(f.project(w.zhonghe).pk),
    "youth_officer_id": lambda w: Sample(f.officer(w.zhonghe).pk),
    "reform_measure_id": lambda w: Sample(f.measure(w.zhonghe).pk),
    "coverage_gap_id": lambda w: Sample(f.gap(w.zhonghe).pk),
    "officer_handover_id": lambda w: Sample(f.handover(w.zhonghe).pk),
}
