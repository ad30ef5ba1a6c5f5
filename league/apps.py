from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeagueConfig(AppConfig):
    name = "league"
    verbose_name = _("Organizations")

    def ready(self):
        from . import lineup_snapshots  # noqa: F401  (signals keeping the lineup verdicts current)
