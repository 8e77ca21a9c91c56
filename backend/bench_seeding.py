"""Registry of benchmark seed steps, run in order by `manage.py bench_seed`.

Each app that wants data in the benchmark data set has a `bench_seed.py` module registering
steps with `@seed_step(...)`; the command finds them with Django's `autodiscover_modules`, so
no app imports another app to join in (accounts: `backend/accounts/bench_seed.py`; a later
`courses/bench_seed.py` adds courses, enrolments and progress). Steps are ordered by `order`,
reset in the reverse order, and must be idempotent: running the command twice adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

MODULE_NAME = "bench_seed"

# Every bench account has an address under this reserved domain (RFC 2606), so bench data is
# recognisable and removable without touching anything else in the database.
EMAIL_DOMAIN = "bench.invalid"
CODE_PREFIX = "bench-"


@dataclass
class SeedContext:
    """What a step gets: the requested size, a seeded RNG and what earlier steps left behind."""

    users: int
    rng: random.Random
    log: Callable[[str], None] = print
    # Earlier steps put ids here for later ones, e.g. shared["organisation_ids"].
    shared: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SeedStep:
    name: str
    order: int
    run: Callable[[SeedContext], None]
    reset: Callable[[], None] | None = None


_steps: dict[str, SeedStep] = {}


def seed_step(name: str, *, order: int, reset: Callable[[], None] | None = None):
    """Register `func(ctx)` as the seed step `name`; `reset()` deletes what it made."""

    def register(func: Callable[[SeedContext], None]):
        _steps[name] = SeedStep(name=name, order=order, run=func, reset=reset)
        return func

    return register


def seed_steps(only: set[str] | None = None) -> list[SeedStep]:
    autodiscover_modules(MODULE_NAME)
    steps = sorted(_steps.values(), key=lambda s: (s.order, s.name))
    if only:
        unknown = only - {s.name for s in steps}
        if unknown:
            raise KeyError(f"Unknown seed steps: {', '.join(sorted(unknown))}")
        steps = [s for s in steps if s.name in only]
    return steps


# Shared secrets of the bench accounts. They are known on purpose (the load driver logs in
# with them) and exist only where `bench_seed` ran, which needs BENCH_ENDPOINTS or DEBUG.
BENCH_PASSWORD = "Bench-mark-2026!"
BENCH_ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def bench_user_email(index: int) -> str:
    return f"u{index:06d}@{EMAIL_DOMAIN}"


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trịnh", "Đinh", "Lương", "Tạ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hoài", "Xuân",
          "Thùy", "Quốc", "Bảo", "Khánh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngọc", "Phong", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Việt", "Yến", "Đạt",
         "Ánh", "Ưng", "Ơn", "Nhị", "Lộc", "Thủy", "Tuệ"]


def vietnamese_name(rng: random.Random) -> str:
    """A plausible Vietnamese full name with diacritics (NFC)."""
    parts = [rng.choice(FAMILY), rng.choice(MIDDLE)]
    if rng.random() < 0.3:
        parts.append(rng.choice(MIDDLE))
    parts.append(rng.choice(GIVEN))
    return " ".join(parts)
