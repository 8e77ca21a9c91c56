"""A synthetic user-import CSV: Vietnamese names with diacritics and a few bad rows. Pure."""

from __future__ import annotations

import csv
import io
import random

from backend.bench_seeding import EMAIL_DOMAIN, vietnamese_name

ROLES = ["trainee", "Học viên", "trainee", "trainee", "trainer", "Giảng viên"]


def users_csv(*, rows: int, organisation_codes: list[str], prefix: str, seed: int = 7,
              bad_every: int = 1000, intake: str = "") -> tuple[bytes, int]:
    """CSV bytes with `rows` data rows, and how many of them are bad on purpose.

    Every `bad_every`-th row is wrong in one of four ways (invalid e-mail, unknown unit,
    missing name, e-mail repeated from an earlier row), so the error path is measured too.
    Addresses are `<prefix>-NNNNNN@bench.invalid`: a new prefix gives a file of new users.
    A fifth of the rows name one of two cohorts per unit; a new `intake` makes them new cohorts.
    """
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Họ và tên", "E-mail", "Mã đơn vị", "Vai trò", "Lớp"])
    bad = 0
    for i in range(1, rows + 1):
        name = vietnamese_name(rng)
        email = f"{prefix}-{i:06d}@{EMAIL_DOMAIN}"
        unit = rng.choice(organisation_codes)
        cohort = f"Lớp bồi dưỡng TTĐN {intake} khóa {rng.randint(1, 2)}" if rng.random() < 0.2 else ""
        if bad_every and i % bad_every == 0:
            bad += 1
            kind = (i // bad_every) % 4
            if kind == 0:
                email = f"{prefix}-{i:06d}-at-{EMAIL_DOMAIN}"
            elif kind == 1:
                unit = "khong-co-don-vi-nay"
            elif kind == 2:
                name = ""
            else:
                email = f"{prefix}-{i - 1:06d}@{EMAIL_DOMAIN}"
        writer.writerow([name, email, unit, rng.choice(ROLES), cohort])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), bad
