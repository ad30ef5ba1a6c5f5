"""Sample objects for the URL authorization walk (tests/test_url_authorization.py).

Each entry maps a URL keyword to a function of the test world that returns a Sample: an object of
中河街道 (or of the `street` persona) and which personas must get 404 for it. Every app keeps its own
tests/<app>/urlsamples.py with a SAMPLES dict; a URL keyword without a sample fails the walk.
"""

from tests.factories import NoticeFactory
from tests.league.lineup_samples import LINEUP_SAMPLES
from tests.urlwalk import Sample

SAMPLES = {
    "org_id": lambda w: Sample(w.zhonghe.pk),
    "notice_id": lambda w: Sample(
        NoticeFactory(recipient=w.users["street"]).pk,
        hidden={"street_sibling", "county", "other_county", "outsider", "instructor"},
        visible={"street"},
    ),
}
SAMPLES.update(LINEUP_SAMPLES)
