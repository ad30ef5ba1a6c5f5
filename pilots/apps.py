from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Pilot programs")

    def ready(self):
        from .assessment import models  # noqa: F401  (assessment, ratings, rectification models)
