"""manage.py restore FILE [--into DATABASE_URL]: replace a database's content with a backup."""

from django.core.management.base import BaseCommand, CommandError

from league import backups


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the database's content)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--into", help="Restore into this DATABASE_URL instead of the configured one.")

    def handle(self, *args, file, into=None, **options):
        try:
            backups.restore(file, database_url=into)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {file}")
