import pytest


@pytest.fixture(autouse=True)
def _theme_day_items(db):
    """The seven fixed items come from a data migration, which a transactional test's flush removes."""
    from grassroots.services import ensure_default_items

    ensure_default_items()
