from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Pilot programs")

    def ready(self):
        from league.models.tree import organization_moved

        from . import paths, tallies
        from .assessment import models  # noqa: F401  (assessment, ratings, rectification models)

        organization_moved.connect(tallies.on_organization_moved, dispatch_uid="pilots.tallies.moved")
        organization_moved.connect(paths.on_organization_moved, dispatch_uid="pilots.paths.moved")
