"""Bench seed steps of accounts: the organisation tree and N users with roles.

Written for speed: bulk inserts, paths computed here (bulk_create skips Organisation.save), and
one password hash computed once and shared by every bench user (hashing 20,000 passwords would
take an hour of PBKDF2). See backend/bench_seeding.py for the registry.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction

from backend.accounts.models import PATH_STEP, Cohort, Organisation, Role, RoleAssignment, User
from backend.accounts.text import normalise_name, search_key
from backend.bench_seeding import (
    BENCH_ADMIN_EMAIL,
    BENCH_PASSWORD,
    BENCH_TOTP_SECRET,
    CODE_PREFIX,
    EMAIL_DOMAIN,
    SeedContext,
    bench_user_email,
    seed_step,
    vietnamese_name,
)

MINISTRIES = [
    "Bộ Ngoại giao", "Bộ Công an", "Bộ Quốc phòng", "Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Khoa học và Công nghệ", "Bộ Tài chính", "Bộ Công Thương", "Bộ Nông nghiệp và Môi trường",
    "Bộ Xây dựng", "Bộ Nội vụ", "Bộ Tư pháp", "Bộ Giáo dục và Đào tạo", "Bộ Y tế",
    "Bộ Dân tộc và Tôn giáo", "Thanh tra Chính phủ", "Ngân hàng Nhà nước Việt Nam",
    "Văn phòng Chính phủ", "Thông tấn xã Việt Nam", "Đài Truyền hình Việt Nam",
    "Đài Tiếng nói Việt Nam", "Báo Nhân Dân", "Tạp chí Cộng sản", "Ủy ban Dân tộc",
    "Học viện Chính trị quốc gia Hồ Chí Minh", "Học viện Báo chí và Tuyên truyền",
    "Viện Hàn lâm Khoa học xã hội Việt Nam", "Ủy ban Biên giới quốc gia",
    "Ủy ban Nhà nước về người Việt Nam ở nước ngoài", "Liên hiệp các tổ chức hữu nghị Việt Nam",
    "Hội Nhà báo Việt Nam",
]
PROVINCES = [
    "Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Quảng Ninh",
    "Lào Cai", "Điện Biên", "Lai Châu", "Sơn La", "Cao Bằng", "Lạng Sơn", "Tuyên Quang",
    "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk",
    "Đồng Nai", "An Giang",
]
DEPARTMENTS = ["Vụ Thông tin đối ngoại", "Văn phòng", "Vụ Hợp tác quốc tế"]
COUNTRIES = [
    "Pháp", "Nhật Bản", "Hoa Kỳ", "Trung Quốc", "Hàn Quốc", "Liên bang Nga", "Đức", "Anh",
    "Ô-xtrây-li-a", "Ấn Độ", "Lào", "Cam-pu-chia", "Thái Lan", "Xinh-ga-po", "In-đô-nê-xi-a",
    "Ma-lai-xi-a", "Phi-líp-pin", "Mi-an-ma", "Ca-na-đa", "Bra-xin", "Ác-hen-ti-na", "Mê-hi-cô",
    "Cu-ba", "I-ta-li-a", "Tây Ban Nha", "Bỉ", "Hà Lan", "Thụy Điển", "Thụy Sĩ", "Áo", "Ba Lan",
    "Séc", "Hung-ga-ri", "Bun-ga-ri", "Ru-ma-ni", "U-crai-na", "Thổ Nhĩ Kỳ", "Ai Cập",
    "Nam Phi", "Ni-giê-ri-a", "An-giê-ri", "Ma-rốc", "I-xra-en", "Các Tiểu vương quốc Ả-rập",
    "Ả-rập Xê-út", "Ca-ta", "Cô-oét", "I-ran", "Pa-ki-xtan", "Niu Di-lân",
]
MISSION_KINDS = ["Đại sứ quán Việt Nam tại", "Văn phòng Thương vụ Việt Nam tại"]
ROOT_CODE = f"{CODE_PREFIX}central"


def _tree() -> list[tuple[str, str, str, str | None]]:
    """(code, name, kind, parent code), parents first: 1 + 60 + 180 + 100 units."""
    units = [(ROOT_CODE, "Ban Tuyên giáo và Dân vận Trung ương", "central", None)]
    tops = [(f"{CODE_PREFIX}m{i:02d}", name, "ministry") for i, name in enumerate(MINISTRIES)]
    tops += [(f"{CODE_PREFIX}p{i:02d}", f"Tỉnh {name}", "province") for i, name in enumerate(PROVINCES)]
    for code, name, kind in tops:
        units.append((code, name, kind, ROOT_CODE))
    for code, name, _kind in tops:
        for j, dept in enumerate(DEPARTMENTS):
            units.append((f"{code}-d{j}", f"{dept} – {name}", "department", code))
    foreign_ministry = tops[0][0]
    for k, prefix in enumerate(MISSION_KINDS):
        for i, country in enumerate(COUNTRIES):
            units.append((f"{CODE_PREFIX}x{k}{i:02d}", f"{prefix} {country}", "mission",
                          foreign_ministry))
    return units


def _reset_organisations() -> None:
    units = Organisation.objects.filter(code__startswith=CODE_PREFIX)
    Cohort.objects.filter(organisation__in=units).delete()
    for depth in sorted(set(units.values_list("depth", flat=True)), reverse=True):
        Organisation.objects.filter(code__startswith=CODE_PREFIX, depth=depth).delete()


@seed_step("organisations", order=10, reset=_reset_organisations)
@transaction.atomic
def seed_organisations(ctx: SeedContext) -> None:
    existing = {o.code: o for o in Organisation.objects.filter(code__startswith=CODE_PREFIX)}
    next_number: dict[str, int] = {}

    def child_path(parent_path: str) -> str:
        if parent_path not in next_number:
            siblings = Organisation.objects.filter(
                path__startswith=parent_path, depth=parent_path.count(".")
            ).values_list("path", flat=True)
            next_number[parent_path] = max(
                (int(p[-PATH_STEP - 1 : -1]) for p in siblings), default=0)
        next_number[parent_path] += 1
        return parent_path + f"{next_number[parent_path]:0{PATH_STEP}d}."

    created = 0
    pending: list[Organisation] = []
    for code, name, kind, parent_code in _tree():
        if code in existing:
            continue
        parent = existing[parent_code] if parent_code else None
        if parent is not None and parent.pk is None:  # parent made in this batch: flush first
            Organisation.objects.bulk_create(pending)
            pending = []
        path = child_path(parent.path if parent else "")
        unit = Organisation(code=code, name=name, kind=kind, parent=parent, path=path,
                            depth=path.count(".") - 1)
        existing[code] = unit
        pending.append(unit)
        created += 1
    Organisation.objects.bulk_create(pending)
    if any(u.pk is None for u in existing.values()):  # backends that return no ids
        existing = {o.code: o for o in Organisation.objects.filter(code__startswith=CODE_PREFIX)}
    ctx.shared["organisations"] = existing
    ctx.log(f"organisations: {created} created, {len(existing)} in the bench tree")


def _reset_users() -> None:
    User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


@seed_step("users", order=20, reset=_reset_users)
def seed_users(ctx: SeedContext, batch: int = 2000) -> None:
    units = ctx.shared.get("organisations") or {
        o.code: o for o in Organisation.objects.filter(code__startswith=CODE_PREFIX)}
    leaves = [u for u in units.values() if u.kind in ("department", "mission")]
    by_pk = {u.pk: u for u in units.values()}
    top_of = {u.code: by_pk[u.parent_id] for u in leaves}  # every leaf hangs under a ministry/province
    password = make_password(BENCH_PASSWORD)  # once: every bench user shares this hash
    existing = set(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
                   .values_list("email", flat=True))
    missing = [i for i in range(1, ctx.users + 1) if bench_user_email(i) not in existing]
    for start in range(0, len(missing), batch):
        _create_users(ctx, missing[start:start + batch], leaves, top_of, password)
    _seed_admin(password)
    ctx.log(f"users: {len(missing)} created, {len(existing) + len(missing)} bench users in all")


@transaction.atomic
def _create_users(ctx: SeedContext, indexes: list[int], leaves: list[Organisation],
                  top_of: dict[str, Organisation], password: str) -> None:
    users, roles = [], []
    for i in indexes:
        unit = ctx.rng.choice(leaves)
        name = normalise_name(vietnamese_name(ctx.rng))
        users.append(User(email=bench_user_email(i), full_name=name, search_name=search_key(name),
                          organisation=unit, password=password))
        # About 1 % administrators of their ministry or province, 4 % trainers, the rest trainees.
        draw = ctx.rng.random()
        if draw < 0.01:
            roles.append((Role.ADMINISTRATOR, top_of[unit.code]))
        elif draw < 0.05:
            roles.append((Role.TRAINER, unit))
        else:
            roles.append((Role.TRAINEE, unit))
    User.objects.bulk_create(users)
    if any(u.pk is None for u in users):
        ids = dict(User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk"))
        for user in users:
            user.pk = ids[user.email]
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=role, organisation=unit) for u, (role, unit) in zip(users, roles,
                                                                                        strict=True)])
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])


@transaction.atomic
def _seed_admin(password: str) -> None:
    """A global administrator with TOTP (production requires it), for admin-only scenarios."""
    admin, created = User.objects.get_or_create(
        email=BENCH_ADMIN_EMAIL, defaults={"full_name": "Quản trị viên Đo tải", "password": password})
    if created:
        RoleAssignment.objects.create(user=admin, role=Role.ADMINISTRATOR, organisation=None)
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(admin, BENCH_TOTP_SECRET)
