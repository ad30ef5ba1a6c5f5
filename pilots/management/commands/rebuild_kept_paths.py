"""Rewrite the organization paths pilot units and reports keep from the organizations (after a bulk load that
did not set them, or a repair in SQL), and the period start each report keeps of its slot."""

from django.core.management.base import BaseCommand

from pilots import paths


class Command(BaseCommand):
    help = (
        "Rewrite the organization paths kept by pilot units and reports (PilotUnit.path, Report.path) and the"
        " period start reports keep of their slots (Report.period_start)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; exit 1 when any differs.")

    def handle(self, *args, check, **options):
        counts = paths.wrong() if check else paths.rebuild()
        verb = "differ from their source" if check else "rewritten"
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n} {verb}")
        if check and any(counts.values()):
            raise SystemExit(1)
