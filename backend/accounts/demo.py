"""Demo organisation tree and the three demo accounts (demo mode only)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from backend.accounts.models import (
    Cohort,
    CohortMembership,
    Organisation,
    Role,
    RoleAssignment,
    User,
)

DEMO_PASSWORD = "Demo@12345"

# code, name, kind, parent code
UNITS = [
    ("btgtw", "Ban Tuyên giáo Trung ương", "central", None),
    ("bng", "Bộ Ngoại giao", "ministry", "btgtw"),
    ("bng-vttbc", "Vụ Thông tin Báo chí", "department", "bng"),
    ("dsq-phap", "Đại sứ quán Việt Nam tại Cộng hòa Pháp", "mission", "bng"),
    ("dsq-nhat-ban", "Đại sứ quán Việt Nam tại Nhật Bản", "mission", "bng"),
    ("tinh-quang-ninh", "Tỉnh Quảng Ninh", "province", "btgtw"),
    ("qn-sttt", "Sở Thông tin và Truyền thông tỉnh Quảng Ninh", "department", "tinh-quang-ninh"),
]

# e-mail, full name, unit, role (held over the unit's subtree)
ACCOUNTS = [
    ("admin@demo.local", "Trần Thị Quản Trị", "btgtw", Role.ADMINISTRATOR),
    ("trainer@demo.local", "Lê Văn Giảng", "btgtw", Role.TRAINER),
    ("trainee@demo.local", "Nguyễn Thị Học", "dsq-phap", Role.TRAINEE),
]


@transaction.atomic
def seed_accounts() -> dict[str, User]:
    units: dict[str, Organisation] = {}
    for code, name, kind, parent in UNITS:
        unit = Organisation.objects.filter(code=code).first()
        if unit is None:
            unit = Organisation(code=code, name=name, kind=kind, parent=units.get(parent))
            unit.save()
        units[code] = unit

    users: dict[str, User] = {}
    for email, full_name, unit_code, role in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD,
                                            full_name=full_name, organisation=units[unit_code])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True})
        RoleAssignment.objects.get_or_create(user=user, role=role, organisation=units[unit_code])
        users[email] = user

    cohort, _created = Cohort.objects.get_or_create(
        code="demo-k1-2026",
        defaults={"name": "Lớp bồi dưỡng TTĐN khóa 1 năm 2026", "organisation": units["bng"]},
    )
    CohortMembership.objects.get_or_create(cohort=cohort, user=users["trainee@demo.local"])
    return users
