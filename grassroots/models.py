"""Grassroots work records: monthly theme days (主题团日+), lectures (五四讲堂), youth homes (青年之家),
youth officers and their handovers, service projects, a county reform pilot's measures against the
"four lacks", youth funding per street, and coverage (空白点, 学社衔接).

Every record belongs to an organization, so `policies.scoped(qs, user, action)` scopes it with the
organization's materialized path. Roll-ups over a subtree live in `grassroots/rollups.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from league.models import Organization


def min_fund_per_youth() -> Decimal:
    """The least youth fund per young person per street per year (seed 002: 3 yuan); a setting."""
    return Decimal(str(getattr(settings, "GRASSROOTS_MIN_FUND_PER_YOUTH", "3")))


def transfer_target_percent() -> Decimal:
    """The school-to-society transfer target (seed 004: at least 50%); a setting."""
    return Decimal(str(getattr(settings, "GRASSROOTS_TRANSFER_TARGET_PERCENT", "50")))


# --- monthly theme days ---------------------------------------------------------------------------

# The seven fixed items (七事联动, seed 004): loaded by migration 0002; staff may change the list in the admin.
SEVEN_ITEMS = [
    ("youth-study", "青年大学习"),
    ("dues", "缴纳团费"),
    ("deliberation", "民主议事"),
    ("openness", "团务公开"),
    ("branch-life", "支部组织生活"),
    ("contact-youth", "团干部密切联系青年"),
    ("smart-league", "智慧团建网上建设"),
]


class ThemeDayItem(models.Model):
    """One of the fixed items (规定动作) of the monthly theme day; the list is data (seeded: 七事联动)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("theme day item")
        verbose_name_plural = _("theme day items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ThemeDayQuerySet(models.QuerySet):
    def for_month(self, month) -> ThemeDayQuerySet:
        return self.filter(month=month.replace(day=1))

    def within(self, organization: Organization) -> ThemeDayQuerySet:
        return self.filter(organization__path__startswith=organization.path)


class ThemeDay(models.Model):
    """A branch's monthly theme day: one per branch and month."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="theme_days"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month it counts for."))
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    members_present = models.PositiveIntegerField(_("members present"))
    members_total = models.PositiveIntegerField(_("members in the branch"))
    items = models.ManyToManyField(ThemeDayItem, verbose_name=_("fixed items done"), blank=True)
    items_done = models.PositiveSmallIntegerField(_("fixed items done"), default=0, editable=False)
    all_items_done = models.BooleanField(_("all fixed items done"), default=False, editable=False)
    own_items = models.TextField(_("own items (自选动作)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[items])

    objects = ThemeDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme day")
        verbose_name_plural = _("theme days")
        ordering = ["-month", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="themeday_one_per_month"),
            models.CheckConstraint(
                condition=Q(members_present__lte=models.F("members_total")),
                name="themeday_attendance_le_total",
            ),
            models.CheckConstraint(condition=Q(members_total__gt=0), name="themeday_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.month:%Y-%m}"

    @property
    def attendance_rate(self) -> Decimal:
        return Decimal(self.members_present * 100) / self.members_total if self.members_total else Decimal(0)


class ThemeDayPhoto(models.Model):
    """A photo of a theme day, checked and stored by league.uploads; served only through a scoped view."""

    theme_day = models.ForeignKey(
        ThemeDay, verbose_name=_("theme day"), on_delete=models.CASCADE, related_name="photos"
    )
    stored_name = models.CharField(max_length=200, editable=False)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=20)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("theme day photo")
        verbose_name_plural = _("theme day photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


# --- lectures (五四讲堂) ---------------------------------------------------------------------------


class LectureKind(models.TextChoices):
    MASTER = "master", _("Master lecture (名家讲堂)")
    CIVICS = "civics", _("Civics class (思政课堂)")
    FORUM = "forum", _("Youth forum (青年论坛)")
    MOBILE = "mobile", _("Mobile classroom (流动教室)")


class Lecture(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organizer"), on_delete=models.CASCADE, related_name="lectures"
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=LectureKind.choices)
    title = models.CharField(_("title"), max_length=160)
    speaker = models.CharField(_("speaker"), max_length=80)
    place = models.CharField(_("place"), max_length=120)
    audience = models.PositiveIntegerField(_("audience"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lecture")
        verbose_name_plural = _("lectures")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.title


# --- youth homes (青年之家) -------------------------------------------------------------------------


class HomeTier(models.TextChoices):
    FLAGSHIP = "flagship", _("District flagship (旗舰店)")
    SPECIALTY = "specialty", _("Street specialty (专营店)")
    SHARED = "shared", _("Shared venue (共营店)")


class YouthHome(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("run by"), on_delete=models.CASCADE, related_name="youth_homes"
    )
    name = models.CharField(_("name"), max_length=120)
    tier = models.CharField(_("tier"), max_length=20, choices=HomeTier.choices)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("youth home")
        verbose_name_plural = _("youth homes")
        ordering = ["tier", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="youthhome_unique_name")]

    def __str__(self) -> str:
        return self.name


class HomeActivity(models.Model):
    home = models.ForeignKey(
        YouthHome, verbose_name=_("youth home"), on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("activity"), max_length=160)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("youth home activity")
        verbose_name_plural = _("youth home activities")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.title


# --- youth officers and handovers -----------------------------------------------------------------


class YouthOfficerQuerySet(models.QuerySet):
    def serving(self) -> YouthOfficerQuerySet:
        return self.filter(left_on__isnull=True)

    def counting(self) -> YouthOfficerQuerySet:
        """Serving officers whose seat counts as filled: no unsigned handover is waiting for them."""
        pending = Handover.objects.filter(signed_at__isnull=True, incoming__isnull=False).values("incoming")
        return self.serving().exclude(pk__in=pending)


class YouthOfficer(models.Model):
    """A post outside the committee (e.g. a street's full-time 青年助力官) and who holds it."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="youth_officers"
    )
    post = models.CharField(_("post"), max_length=60, default="青年助力官")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    full_time = models.BooleanField(_("full-time"), default=True)
    started_on = models.DateField(_("since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = YouthOfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("youth officer")
        verbose_name_plural = _("youth officers")
        ordering = ["organization__path", "post", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("started_on")),
                name="officer_left_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.name}"


class OfficerAssessment(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    officer = models.ForeignKey(
        YouthOfficer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    award_yuan = models.DecimalField(_("award (yuan)"), max_digits=10, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("officer assessment")
        verbose_name_plural = _("officer assessments")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="assessment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.officer} {self.year}"


class Handover(models.Model):
    """工作交接清单: when an officer or cadre leaves, the successor's seat counts only once it is signed."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="handovers"
    )
    outgoing = models.ForeignKey(
        YouthOfficer, verbose_name=_("leaving"), on_delete=models.PROTECT, related_name="outgoing_handovers"
    )
    incoming = models.ForeignKey(
        YouthOfficer,
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_handovers",
    )
    opened_on = models.DateField(_("opened on"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(signed_by__isnull=False),
                name="handover_signed_has_signer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outgoing} → {self.incoming or '?'}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class HandoverItem(models.Model):
    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(_("item"), max_length=200)
    done = models.BooleanField(_("done"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


DEFAULT_HANDOVER_ITEMS = [
    "团员名册与组织关系",
    "团费收缴台账",
    "智慧团建账号与密码",
    "在办项目与经费",
    "档案资料与印章",
]

# --- service projects -----------------------------------------------------------------------------


class ServiceProject(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="service_projects",
    )
    name = models.CharField(_("name"), max_length=120)
    is_brand = models.BooleanField(_("brand (品牌)"), default=False)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="project_unique_name")]

    def __str__(self) -> str:
        return self.name


class ProjectActivity(models.Model):
    project = models.ForeignKey(
        ServiceProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("activity"), max_length=160)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    served = models.PositiveIntegerField(_("people served"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project activity")
        verbose_name_plural = _("project activities")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.title


# --- reform measures (县域改革试点) -----------------------------------------------------------------


class Lack(models.TextChoices):
    PEOPLE = "people", _("Lack of people (缺人手)")
    VENUES = "venues", _("Lack of venues (缺载体)")
    PATHS = "paths", _("Lack of paths (缺路径)")
    POLICY = "policy", _("Lack of policy (缺政策)")


class ValueType(models.TextChoices):
    NUMBER = "number", pgettext_lazy("value type", "Number")
    YUAN = "yuan", _("Amount in yuan")
    PERCENT = "percent", _("Percentage")
    YES_NO = "yes_no", _("Yes/no")


class ReformMeasure(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="reform_measures"
    )
    lack = models.CharField(_("answers"), max_length=20, choices=Lack.choices)
    title = models.CharField(_("measure"), max_length=200)
    indicator = models.CharField(_("indicator"), max_length=160)
    year = models.PositiveSmallIntegerField(_("year"))
    value_type = models.CharField(
        _("value type"), max_length=20, choices=ValueType.choices, default=ValueType.NUMBER
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reform measure")
        verbose_name_plural = _("reform measures")
        ordering = ["lack", "year", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= self.target


class YouthFunding(models.Model):
    """A street's youth population and its youth development fund for a year (per-capita check)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("street/township"),
        on_delete=models.CASCADE,
        related_name="youth_funding",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    youth_population = models.PositiveIntegerField(_("young people"))
    amount_yuan = models.DecimalField(_("fund (yuan)"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("youth fund")
        verbose_name_plural = _("youth funds")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="funding_one_per_year"),
            models.CheckConstraint(condition=Q(youth_population__gt=0), name="funding_population_positive"),
            models.CheckConstraint(condition=Q(amount_yuan__gte=0), name="funding_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    @property
    def per_capita(self) -> Decimal:
        return (self.amount_yuan / self.youth_population).quantize(Decimal("0.01"))

    @property
    def below_minimum(self) -> bool:
        return self.per_capita < min_fund_per_youth()


# --- coverage ---------------------------------------------------------------------------------------


class CoverageGap(models.Model):
    """空白点: a unit (e.g. a private school) without a league organization yet; closed when one exists."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("responsible organization"),
        on_delete=models.CASCADE,
        related_name="coverage_gaps",
    )
    name = models.CharField(_("unit without a league organization"), max_length=160)
    kind = models.CharField(_("kind of unit"), max_length=60, blank=True)
    found_on = models.DateField(_("found on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coverage gap")
        verbose_name_plural = _("coverage gaps")
        ordering = ["closed_on", "name"]

    def __str__(self) -> str:
        return self.name


class TransferRate(models.Model):
    """学社衔接: graduating members whose membership moved on to society, per city and year."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("city"), on_delete=models.CASCADE, related_name="transfer_rates"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    graduating = models.PositiveIntegerField(_("graduating members"))
    transferred = models.PositiveIntegerField(_("transferred"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school-to-society transfer")
        verbose_name_plural = _("school-to-society transfers")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="transfer_one_per_year"),
            models.CheckConstraint(
                condition=Q(transferred__lte=models.F("graduating")), name="transfer_le_graduating"
            ),
            models.CheckConstraint(condition=Q(graduating__gt=0), name="transfer_graduating_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    @property
    def rate(self) -> Decimal:
        return (Decimal(self.transferred * 100) / self.graduating).quantize(Decimal("0.1"))

    @property
    def meets_target(self) -> bool:
        return self.rate >= transfer_target_percent()
