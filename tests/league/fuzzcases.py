"""Fuzz cases for the league app's forms (see tests/fuzzing.py): who posts each form to which URL."""

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from league.lineups import ensure_reference_data
from league.models import Organization, Person
from tests.factories import SeatFactory
from tests.fuzzing import FormCase
from tests.league.lineup_samples import _seat


def seat_url(w) -> str:
    ensure_reference_data()  # a transactional test elsewhere may have flushed the data migration's rules
    return f"/seats/{_seat(w).pk}/"


def fresh_seat_url(w) -> str:
    """Vacating or ordering a resignation ends the seat: each example gets a seat still held."""
    ensure_reference_data()
    return f"/seats/{SeatFactory(term=_seat(w).term).pk}/"


def seat_case(which: str, url=seat_url) -> FormCase:
    return FormCase(persona="county", url=url, prefix=which, fixed=lambda w: {"form": which})


def term_url(w) -> str:
    ensure_reference_data()
    return f"/terms/{_seat(w).term_id}/seats/new/"


FUZZ = {
    "league.forms.ImportForm": FormCase(persona="county", url=lambda w: "/orgs/import/", multipart=True),
    "league.forms.OrganizationForm": FormCase(
        persona="county",
        url=lambda w: f"/orgs/{w.zhonghe.pk}/edit/",
        fixed=lambda w: {"version": Organization.objects.get(pk=w.zhonghe.pk).version},
    ),
    # Lineups (league/forms_lineups.py): terms, seats, people, supervision steps of a seat.
    "league.forms_lineups.TermForm": FormCase(
        persona="county", url=lambda w: (ensure_reference_data(), f"/orgs/{w.zhonghe.pk}/terms/new/")[1]
    ),
    "league.forms_lineups.SeatFillForm": FormCase(
        persona="county",
        url=term_url,
        choices=lambda w: {
            "person": list(Person.objects.filter(organization=w.zhonghe).values_list("pk", flat=True))
        },
    ),
    "league.forms_lineups.PersonForm": FormCase(
        persona="street", url=lambda w: "/people/new/", fixed=lambda w: {"org": w.zhonghe.pk}
    ),
    "league.forms_lineups.SeatVacateForm": seat_case("vacate", fresh_seat_url),
    "league.forms_lineups.OrderResignationForm": seat_case("order", fresh_seat_url),
    "league.forms_lineups.PledgeForm": seat_case("pledge"),
    "league.forms_lineups.AssignmentForm": seat_case("assignment"),
    "league.forms_lineups.ReviewForm": seat_case("review"),
    "league.forms_lineups.RecommendationForm": seat_case("recommendation"),
    "league.forms_lineups.TalkForm": seat_case("talk"),
    "league.forms_lineups.StatsFilterForm": FormCase(
        persona="county", url=lambda w: "/lineups/stats/", method="get"
    ),
    # Django's own forms behind our URLs, the first ones an attacker reaches.
    "django.contrib.auth.forms.AuthenticationForm": FormCase(
        persona=None,
        url=lambda w: "/accounts/login/",
        form=AuthenticationForm,
        refused_status=frozenset({200, 429}),
    ),
    "django.contrib.auth.forms.PasswordChangeForm": FormCase(
        persona="street", url=lambda w: "/accounts/password/", form=PasswordChangeForm
    ),
}
