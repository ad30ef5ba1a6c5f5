"""Sample objects for the URL authorization walk (tests/test_url_authorization.py).

Each entry maps a URL keyword to a function of the test world that returns a Sample: an object of
中河街道 (or of the `street` persona) and which personas must get 404 for it. Every app keeps its own
tests/<app>/urlsamples.py with a SAMPLES dict; a URL keyword without a sample fails the walk.
"""

from tests.factories import NoticeFactory
from tests.league.factories import ExportJobFactory
from tests.league.lineup_samples import LINEUP_SAMPLES
from tests.urlwalk import Sample

SAMPLES = {
    "org_id": lambda w: Sample(w.zhonghe.pk),
    "notice_id": lambda w: Sample(
        NoticeFactory(recipient=w.users["street"]).pk,
        hidden={"street_sibling", "county", "other_county", "outsider", "instructor"},
        visible={"street"},
    ),
    # Export files are private to their owner: every other persona, the platform admin included, gets 404.
    "job_id": lambda w: Sample(
        ExportJobFactory(owner=w.users["street"]).pk,
        hidden={"admin", "county", "street_sibling", "other_county", "outsider", "instructor"},
        visible={"street"},
    ),
}
SAMPLES.update(LINEUP_SAMPLES)

# Pages whose action the role does not allow: 403 for these personas (see tests/urlwalk.py).
NO_IMPORT = {"street", "street_sibling", "instructor", "outsider"}
FORBIDDEN = {
    "organization_import": NO_IMPORT,
    "organization_import_template": NO_IMPORT,
    "organization_export": {"instructor", "outsider"},
    "organization_edit": {"street", "instructor"},
    "organization_audit": {"street", "instructor"},
}
