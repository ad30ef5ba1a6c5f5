"""Error pages that never need the database: a database that is down answers 503 with a clear page."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request, *args, **kwargs):
    """handler500: 503 + "database unavailable, nothing half-saved" when the database is unreachable."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UNAVAILABLE) or (
        isinstance(exc, DatabaseError) and isinstance(exc.__cause__, UNAVAILABLE)
    ):
        body = loader.get_template("503.html").render({})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({}))
