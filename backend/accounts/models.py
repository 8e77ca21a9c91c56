"""Users, the organisation tree, roles and cohorts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.text import normalise_name, search_key

PATH_STEP = 4  # digits per tree level in Organisation.path


class OrganisationKind(models.TextChoices):
    CENTRAL = "central", _("Central body")
    MINISTRY = "ministry", _("Ministry")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    MISSION = "mission", _("Mission abroad")


class Organisation(models.Model):
    """A unit in the tree. `path` is a materialised path ("0001.0003.") so a subtree is one
    indexed prefix query, without recursion."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["path"], name="org_path_idx",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Keep `path` and `depth` right for new units and for units moved to a new parent."""
        old_path = self.path
        parent_path = self.parent.path if self.parent_id else ""
        if not old_path or old_path[: -PATH_STEP - 1] != parent_path:
            self.path = parent_path + f"{self._next_child_number(parent_path):0{PATH_STEP}d}."
            self.depth = self.path.count(".") - 1
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for unit in Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                unit.path = self.path + unit.path[len(old_path):]
                unit.depth = unit.path.count(".") - 1
                Organisation.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})

    @staticmethod
    def _next_child_number(parent_path: str) -> int:
        siblings = Organisation.objects.filter(
            path__startswith=parent_path, depth=parent_path.count(".")
        ).values_list("path", flat=True)
        return max((int(p[-PATH_STEP - 1 : -1]) for p in siblings), default=0) + 1

    def subtree_filter(self, prefix: str = "") -> Q:
        """Q matching this unit and everything under it, for a relation reached by `prefix`."""
        return Q(**{f"{prefix}path__startswith": self.path})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=255)
    # Accent- and case-free copy of the name for search that ignores Vietnamese diacritics.
    search_name = models.CharField(max_length=255, editable=False, db_index=True, default="")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="vi")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["search_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def save(self, *args, **kwargs) -> None:
        self.full_name = normalise_name(self.full_name)
        self.search_name = search_key(self.full_name)
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.email


class Role(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    TRAINER = "trainer", _("Trainer")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleAssignment(models.Model):
    """A role held globally (no organisation) or over one organisation's subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("scope"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="role_assignments", help_text=_("Empty means everywhere."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation"],
                                    name="role_unique_scoped"),
            models.UniqueConstraint(fields=["user", "role"], condition=Q(organisation=None),
                                    name="role_unique_global"),
        ]

    def __str__(self) -> str:
        scope = self.organisation or _("everywhere")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class Cohort(models.Model):
    """A named group of users (a training class, lớp bồi dưỡng) used for enrolment."""

    name = models.CharField(_("name"), max_length=255)
    code = models.SlugField(_("code"), max_length=80, unique=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="cohorts")
    members = models.ManyToManyField(User, through="CohortMembership", related_name="cohorts")
    created_at = models.DateTimeField(auto_now_add=True)
    # Accent-free key of name and code (text.search_key). NULL (not "") means "not computed yet":
    # the column was added without a default, so adding it never rewrote the table.
    search_key = models.CharField(max_length=400, null=True, editable=False)  # noqa: DJ001

    class Meta:
        ordering = ["name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalise_name(self.name)
        self.search_key = cohort_search_key(self.name, self.code)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


def cohort_search_key(name: str, code: str) -> str:
    return search_key(f"{name} {code}")[:400]


class CohortMembership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="cohort_member_once")]
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")

    def __str__(self) -> str:
        return f"{self.user} ∈ {self.cohort}"


class Accommodation(models.Model):
    """A person's standing adjustment of timed quizzes (WCAG 2.2.1 Timing Adjustable, decision
    0061): their time limit is multiplied by ``time_factor`` and ``extra_attempts`` are added to
    a limited number of attempts, on every quiz where no per-person override says otherwise."""

    user = models.OneToOneField(User, verbose_name=_("person"), on_delete=models.CASCADE,
                                related_name="accommodation")
    time_factor = models.DecimalField(_("time factor"), max_digits=3, decimal_places=2, default=1)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [
            models.CheckConstraint(condition=Q(time_factor__gte=1) & Q(time_factor__lte=5),
                                   name="accommodation_time_factor_1_to_5"),
            models.CheckConstraint(condition=Q(extra_attempts__lte=100),
                                   name="accommodation_extra_attempts_max"),
        ]

    def __str__(self) -> str:
        return str(self.user)
