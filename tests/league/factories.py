"""Factories for the export machinery (league app)."""

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from league.models import ExportJob, ExportStatus
from tests.factories import UserFactory


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    owner = factory.SubFactory(UserFactory)
    source = "organizations"
    filename = factory.Sequence(lambda n: f"organizations-{n}.xlsx")
    status = ExportStatus.DONE
    total_rows = 2
    done_rows = 2
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=24))
    file = factory.LazyAttribute(lambda job: ContentFile(b"PK-not-really-a-workbook", name=job.filename))
