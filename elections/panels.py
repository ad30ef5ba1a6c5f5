"""Panels this app adds to the home and organization pages (see league/panels.py)."""


def home_panels(request):
    return []


def organization_panels(request, organization):
    return []
