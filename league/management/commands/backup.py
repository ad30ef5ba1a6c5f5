"""manage.py backup [FILE]: a consistent copy of the whole database (see league/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from league import backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump on PostgreSQL, SQLite's backup API otherwise)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="Where to write it (default var/backups/league-<time>.*)."
        )

    def handle(self, *args, file=None, **options):
        path = Path(file) if file else backups.default_path()
        try:
            backups.backup(path)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
