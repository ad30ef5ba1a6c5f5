from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running at scale: the beat singleton, exactly-once task claims, deployment probes."""

    name = "ops"
    verbose_name = _("Operations")
