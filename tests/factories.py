"""Factories shared by every app's tests."""

import factory
from django.db import connection

from backend.accounts.models import Cohort, Organisation, Role, RoleAssignment, User

# Recording a lesson result (courses.learning._upsert_progress) is one UPSERT on PostgreSQL,
# whose RETURNING reads the old state; SQLite's RETURNING sees the new row, so there the old
# state is read by one statement first. Pinned counts of paths that record a result add this.
RESULT_OLD_STATE_READS = 0 if connection.vendor == "postgresql" else 1


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị số {n}")
    kind = "department"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("Passw0rd!x")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.TRAINEE
    organisation = None


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Lớp bồi dưỡng {n}")
    code = factory.Sequence(lambda n: f"cohort-{n}")
    organisation = factory.SubFactory(OrganisationFactory)


def user_with_role(role: str, organisation: Organisation | None = None, **kwargs) -> User:
    """A user holding `role` over `organisation` (None: everywhere)."""
    user = UserFactory(**({"organisation": organisation} if organisation else {}), **kwargs)
    RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
    return user
