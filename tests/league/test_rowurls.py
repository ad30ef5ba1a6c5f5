"""Row links built without a reverse per row are the URLs reverse() gives."""

import pytest
from django.urls import reverse

from league.rowurls import url_for_id


@pytest.mark.parametrize("name", ["lineup_detail", "organization_detail", "person_detail"])
@pytest.mark.parametrize("pk", [1, 7, 918273645, 10**12])
def test_same_as_reverse(name, pk):
    assert url_for_id(name)(pk) == reverse(name, args=[pk])
