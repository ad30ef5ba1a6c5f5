import pytest

from league.lineups import ensure_reference_data


@pytest.fixture
def lineup_rules(db):
    """The default lineup rules and member categories (a transactional test elsewhere may have flushed
    what the data migration created)."""
    ensure_reference_data()
