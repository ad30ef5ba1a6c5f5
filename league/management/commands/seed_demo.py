"""Load the demo data from the seed documents (idempotent), and optionally a synthetic national-size tree."""

import importlib
import time

from django.core.management.base import BaseCommand

from league import demo

# Each app's demo.seed(world, stdout) runs after the organization tree, in this order.
# The elections demo runs first: 中河街道's lineup is the result of its election (seed 000).
APP_SEEDERS = ("elections.demo", "league.demo_lineups", "pilots.demo", "grassroots.demo")
# With --scale, each module's seed_scale(stdout) runs after the synthetic tree and its people (bulk data).
APP_SCALE_SEEDERS = ("league.scale", "pilots.scale")


class Command(BaseCommand):
    help = "Load demo organizations, personas (password league-demo) and each feature's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Also ensure N synthetic counties exist.")
        parser.add_argument("--streets", type=int, default=13, help="Streets/townships per synthetic county.")
        parser.add_argument("--branches", type=int, default=5, help="Branches per synthetic street/township.")
        parser.add_argument("--skip-demo", action="store_true", help="Only the synthetic data.")

    def handle(self, *args, scale, streets, branches, skip_demo, **options):
        started = time.monotonic()
        if not skip_demo:
            world = demo.seed(demo.World())
            for module_name in APP_SEEDERS:
                importlib.import_module(module_name).seed(world, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if scale:
            step = time.monotonic()
            created = demo.seed_scale(scale, streets, branches, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Synthetic organizations created: {created}"))
            self._timed("organizations", step)
            step = time.monotonic()
            people = demo.seed_scale_people(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Synthetic secretaries and staff created: {people}"))
            self._timed("people", step)
            for module_name in APP_SCALE_SEEDERS:
                step = time.monotonic()
                importlib.import_module(module_name).seed_scale(stdout=self.stdout)
                self._timed(module_name, step)
            step = time.monotonic()
            analyze()
            self._timed("analyze", step)
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")

    def _timed(self, what: str, since: float) -> None:
        self.stdout.write(f"seed-time {what} {time.monotonic() - since:.2f} s")


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (both databases run ANALYZE on their own only later,
    PostgreSQL's autovacuum after a while, SQLite never): without them SQLite walks every submitted report
    of the country for one secretary's list, where the statistics let it start from the secretary's slots."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
