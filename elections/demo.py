"""Demo data of the elections app, loaded by `manage.py seed_demo` after the organization tree."""


def seed(world, stdout=None):
    """Add this app's demo data; `world` maps organization codes and persona names to objects."""
