"""The organization tree, regions (片区), memberships (who holds which role where) and in-app notices.

The tree keeps a materialized path: every organization stores the ids of its ancestors and itself as
zero-padded segments ("00000001.00000012."), so a subtree is one `path LIKE 'prefix%'` query and the
ancestors one `pk IN (...)` query, however deep or wide the tree is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Concat, Substr
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..locking import Versioned

PATH_WIDTH = 8
PATH_SEP = "."

# Sent inside the transaction of a move, after the subtree's paths were rewritten: (organization, old_path,
# new_path). Apps that keep figures per subtree (pilots/tallies.py) move them in the same transaction.
organization_moved = Signal()


def uncased(text: str) -> bool:
    """Whether no character of the text has a case (Chinese names and codes, digits, punctuation): then a
    case-insensitive match finds exactly what a plain one does, and the plain one is cheaper to ask. On
    PostgreSQL `UPPER(name) LIKE UPPER('%街道%')` upper-cases every name it reads (a search over the country's
    237,483 organizations: 144 ms against 56 for `name LIKE`), and the planner, which has no statistics for
    UPPER(name), guesses 1,263 matches instead of 26,388 and starts parallel workers to find the first 551
    (14 ms against 2 ms serially)."""
    return all(c.upper() == c and c.lower() == c and c.casefold() == c for c in text)


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_WIDTH}d}{PATH_SEP}"


def moved_path(old_path: str, new_path: str) -> Concat:
    """The expression that rewrites a `path` column starting with `old_path` to start with `new_path` (a move):
    for the organizations of a moved subtree and for every copy of their paths kept elsewhere."""
    return Concat(models.Value(new_path), Substr("path", len(old_path) + 1))


def subtree_end(path: str) -> str:
    """The least string above every path under `path`: [path, subtree_end(path)) holds exactly the paths that
    start with `path` (paths are digits and separators), a range an index can read where SQLite's LIKE, being
    case-insensitive, cannot — it walks every organization instead."""
    return path[:-1] + chr(ord(path[-1]) + 1)


def path_order(column: str) -> str:
    """ORDER BY text for "`column` in tree order" that the pattern index read by subtree_sql can give: on
    PostgreSQL its byte-order operator (`USING ~<~`; paths are digits and separators, so the same order as the
    collation's), so that a subtree's range comes in order from that one index. A plain ORDER BY path let
    PostgreSQL walk the collation's path index from the first path of the country to the subtree's, filtering
    (a page of the last of 30 provinces' committees: 76 ms, the first's 0.3)."""
    return f"{column} USING ~<~" if connection.vendor == "postgresql" else column


def subtree_sql(column: str, path: str) -> tuple[str, list]:
    """SQL (and its parameters) for "`column` is `path` or a path under it", the rows of path__startswith: the
    range [path, subtree_end(path)) that the path index reads; on PostgreSQL with the pattern operators of
    the path indexes (byte order, whatever the collation), without LIKE's recheck of each row."""
    lo, hi = ("~>=~", "~<~") if connection.vendor == "postgresql" else (">=", "<")
    return f"{column} {lo} %s AND {column} {hi} %s", [path, subtree_end(path)]


def id_join_sql(id_column: str, key_column: str) -> str:
    """SQL for "`key_column` references `id_column`" (a table's foreign key to the organizations and their id) in
    a join whose organizations are filtered by subtree_sql. On PostgreSQL each side is written once as a plain
    column and once as an expression (`+ 0`), so that the planner can still read the organization of each row by
    its id, or the rows of each organization by their key, but can no longer merge the two by id: with a table's
    few rows under low ids (the national dataset's theme days, elections and funding figures), PostgreSQL costed
    a merge join as stopping after those ids, while its scan of the organizations' primary key, filtered by the
    path, read every organization below the subtree's first one (none for the first of 30 provinces, 230,000
    and 70 ms for the last). Elsewhere a plain equality."""
    if connection.vendor != "postgresql":
        return f"{id_column} = {key_column}"
    return f"{id_column} = {key_column} + 0 AND {id_column} + 0 = {key_column}"


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County/district")
    STREET = "street", _("Street/township")
    GRASSROOTS = "grassroots", _("Grassroots unit")


LEVEL_RANK = {Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.STREET: 4, Level.GRASSROOTS: 5}


class Kind(models.TextChoices):
    COMMITTEE = "committee", _("League committee (团委)")
    WORKING_COMMITTEE = "working_committee", _("Working committee (团工委)")
    GENERAL_BRANCH = "general_branch", _("General branch (团总支)")
    BRANCH = "branch", _("Branch (团支部)")


class Domain(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN_STREET = "urban_street", _("Urban street")
    SCHOOL = "school", _("School")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    NONPUBLIC_ENTERPRISE = "nonpublic_enterprise", _("Non-public enterprise")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organization")
    GOVERNMENT = "government", _("Government organ")


class OrganizationQuerySet(models.QuerySet):
    def under_paths(self, paths: list[str] | None) -> OrganizationQuerySet:
        """Organizations inside any of the subtrees rooted at `paths`; None means no restriction."""
        if paths is None:
            return self
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def search(self, text: str) -> OrganizationQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        if uncased(text):  # the same rows, without UPPER() on every name (see uncased)
            return self.filter(Q(name__contains=text) | Q(code=text))
        return self.filter(Q(name__icontains=text) | Q(code__iexact=text))


class LevelCount(models.Model):
    """How many organizations there are at each level, kept by the database: triggers on the organization
    table (migration 0013) add and subtract in the statement that inserts, deletes or changes the level of
    organizations, whoever writes them (services, imports, bulk_create, the admin, raw SQL), so the figures
    commit or roll back with the rows. A platform admin's home and tree pages read these rows instead of
    counting every organization of the country (237,483 nationally: 27-45 ms on PostgreSQL).

    A level without a row has no organization. Concurrent transactions that add organizations of the same
    level queue on its row until they commit (organizations are added by staff, a few at a time or an
    import)."""

    level = models.CharField(max_length=20, primary_key=True, choices=Level.choices)
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.n}"

    @classmethod
    def as_dict(cls) -> dict[str, int]:
        """`dict(LevelCount.objects.values_list("level", "n"))`, read with a cursor: a platform admin's home and
        tree pages read it on every visit, and building the ORM's query cost more than its five rows."""
        qn, meta = connection.ops.quote_name, cls._meta
        level, n = (qn(meta.get_field(name).column) for name in ("level", "n"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {level}, {n} FROM {qn(meta.db_table)}")
            return dict(cursor.fetchall())


class Organization(Versioned):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A unique code, e.g. the 智慧团建 organization code."),
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices, default=Domain.URBAN_STREET)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
        help_text=_("The region (片区) of the street/township this unit belongs to."),
    )
    path = models.CharField(_("path"), max_length=255, editable=False, default="", db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # How many organizations have this one as their parent, kept by the database (triggers of migration
    # 0016) in the statement that inserts, deletes or re-parents organizations, whoever writes them. A
    # branch is a grassroots unit with none (grassroots.rollups), counted over one partial index; pages show
    # it as a row's number of units. Organization.save() never writes it (an instance's copy may be stale).
    child_count = models.PositiveIntegerField(_("units under it"), default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["child_count"])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL uses a btree index only with the pattern operator class.
            models.Index(fields=["path"], name="org_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "path"], name="org_level_path"),
            # "The streets of a subtree" (level = 'street' AND path LIKE 'prefix%': the lineup statistics'
            # count and kept verdicts) as one index range; org_level_path serves it only as a filter over
            # every street of the country (39,039 entries for a province's 1,300 at national scale).
            models.Index(
                fields=["level", "path"],
                name="org_level_path_like",
                opclasses=["varchar_ops", "varchar_pattern_ops"],
            ),
            # The branches of a subtree (grassroots units without units under them: the theme-day figures'
            # denominator) as one index range, without a look-up of each grassroots unit's children.
            models.Index(
                fields=["path"],
                name="org_branch_path",
                condition=Q(level="grassroots", child_count=0),
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="org_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    # --- tree ---------------------------------------------------------------------------------
    @property
    def ancestor_ids(self) -> list[int]:
        return [int(seg) for seg in self.path.split(PATH_SEP) if seg][:-1]

    def ancestors(self) -> OrganizationQuerySet:
        return Organization.objects.filter(pk__in=self.ancestor_ids).order_by("depth")

    def subtree(self) -> OrganizationQuerySet:
        return Organization.objects.filter(path__startswith=self.path)

    def descendants(self) -> OrganizationQuerySet:
        return self.subtree().exclude(pk=self.pk)

    def is_within(self, other: Organization) -> bool:
        return self.path.startswith(other.path)

    @property
    def level_rank(self) -> int:
        return LEVEL_RANK[self.level]

    def clean(self) -> None:
        errors = {}
        if self.parent_id:
            parent = self.parent
            if self.pk and parent.path.startswith(self.path or "\0"):
                errors["parent"] = _("An organization cannot be placed under itself or its own descendant.")
            elif LEVEL_RANK.get(self.level, 0) < parent.level_rank or (
                self.level != Level.GRASSROOTS and LEVEL_RANK.get(self.level, 0) == parent.level_rank
            ):
                errors["level"] = _("A %(level)s cannot be placed under a %(parent_level)s.") % {
                    "level": self.get_level_display(),
                    "parent_level": parent.get_level_display(),
                }
        if self.region_id and self.region.organization_id != self.parent_id:
            errors["region"] = _("The region must belong to this unit's parent street/township.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        """Keep path and depth right on create and on a move; a move rewrites the subtree in one UPDATE."""
        with transaction.atomic():
            parent_path = self.parent.path if self.parent_id else ""
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = parent_path + path_segment(self.pk)
                self.depth = self.path.count(PATH_SEP) - 1
                Organization.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                return
            old_path = self.path
            new_path = parent_path + path_segment(self.pk)
            if old_path and new_path != old_path:
                shift = new_path.count(PATH_SEP) - old_path.count(PATH_SEP)
                Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=moved_path(old_path, new_path),
                    depth=models.F("depth") + shift,
                )
                # Figures kept per subtree (pilots' report counters) follow the move in this transaction.
                organization_moved.send(Organization, organization=self, old_path=old_path, new_path=new_path)
            self.path = new_path
            self.depth = new_path.count(PATH_SEP) - 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = set(kwargs["update_fields"]) | {"path", "depth"}
            elif not self._state.adding:  # every field but the database's child_count
                kwargs["update_fields"] = _SAVED_FIELDS
            super().save(*args, **kwargs)


_SAVED_FIELDS = [
    f.name for f in Organization._meta.concrete_fields if not f.primary_key and f.name != "child_count"
]


class Region(models.Model):
    """A region (片区) grouping grassroots units inside a street/township."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("street/township"), on_delete=models.CASCADE, related_name="regions"
    )
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["organization", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="region_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Platform admin")
    STAFF = "staff", _("League staff")
    SECRETARY = "secretary", _("Secretary")
    INSTRUCTOR = "instructor", _("Instructor")


class Membership(models.Model):
    """A user holds a role at an organization, and through it acts on that organization's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        pgettext_lazy("job", "title"), max_length=60, blank=True, help_text=_("e.g. 书记, 副书记, 组织部长")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class NoticeQuerySet(models.QuerySet):
    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """An in-app notice shown under the bell. Features (reminders, vacancies, exports) create them."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=40, default="info")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread")]

    def __str__(self) -> str:
        return self.title


class WorkerHeartbeat(models.Model):
    """Written by a periodic Celery task, so /healthz can say when a worker last ran a task."""

    name = models.CharField(max_length=60, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
