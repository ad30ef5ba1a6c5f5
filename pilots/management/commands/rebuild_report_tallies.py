"""Recount the dashboard's report counters from the slots and reports (after a bulk load or a repair)."""

from django.core.management.base import BaseCommand

from pilots import tallies


class Command(BaseCommand):
    help = "Recount the report counters of the pilots dashboard from the slots and reports."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; exit 1 when they differ.")

    def handle(self, *args, check, **options):
        if check:
            stored, expected = tallies.stored(), tallies.recount()
            wrong = {k for k in stored.keys() | expected.keys() if stored.get(k) != expected.get(k)}
            self.stdout.write(f"{len(wrong)} counter rows differ from a recount")
            if wrong:
                raise SystemExit(1)
            return
        rows = tallies.rebuild()
        self.stdout.write(f"{rows} counter rows rebuilt")
