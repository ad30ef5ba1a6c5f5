from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrassrootsConfig(AppConfig):
    name = "grassroots"
    verbose_name = _("Grassroots work")

    def ready(self):
        from . import assessment_sources  # noqa: F401  (theme-day and funding sources of assessment criteria)
