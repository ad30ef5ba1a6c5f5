"""URL samples of the grassroots app for the authorization walk: objects of 中河街道."""

from tests.grassroots import factories as f
from tests.urlwalk import DEFAULT_VISIBLE, Sample

SAMPLES = {
    "kind": lambda w: Sample("lecture", hidden=frozenset(), visible=DEFAULT_VISIBLE),
    "theme_day_id": lambda w: Sample(f.theme_day(w.zhonghe_branch).pk),
    "photo_id": lambda w: Sample(f.photo(f.theme_day(w.zhonghe_branch)).pk),
    "home_id": lambda w: Sample(f.home(w.zhonghe).pk),
    "project_id": lambda w: Sample(f.project(w.zhonghe).pk),
    "officer_id": lambda w: Sample(f.officer(w.zhonghe).pk),
    "measure_id": lambda w: Sample(f.measure(w.zhonghe).pk),
    "gap_id": lambda w: Sample(f.gap(w.zhonghe).pk),
    "handover_id": lambda w: Sample(f.handover(w.zhonghe).pk),
}
