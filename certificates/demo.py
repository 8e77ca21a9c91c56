"""Demo certificate template (demo mode only): the demo organisation's default, so the demo
course (and any course under it) issues certificates. Idempotent. Clearly marked as a demo."""

from __future__ import annotations

from django.db import transaction

from backend.accounts.api import organisation_get_by_code
from certificates.models import CertificateTemplate

DEMO_UNIT = "btgtw"
DEMO_TEMPLATE = {
    "issuer_name": "Ban Tuyên giáo Trung ương",
    "parent_issuer_name": "Ban Chấp hành Trung ương Đảng",
    "place": "Hà Nội",
    "signer_title": "TM. Ban Tổ chức lớp bồi dưỡng",
    "signer_name": "Nguyễn Văn Mẫu (chữ ký mẫu)",
    "wording": "Bản mẫu dùng để trình diễn hệ thống, không có giá trị pháp lý.",
    "validity_months": None,
    "course_hours": 8,
    "serial_pattern": "{seq:04d}/{year}/GCN-DEMO",
    "language": "vi",
}


@transaction.atomic
def seed_certificates() -> CertificateTemplate:
    from certificates.services import template_create

    unit = organisation_get_by_code(DEMO_UNIT)
    if unit is None:
        raise RuntimeError("Seed the demo units first (backend.accounts.demo.seed_accounts).")
    existing = CertificateTemplate.objects.filter(organisation_id=unit.id, course__isnull=True).first()
    if existing is not None:
        return existing
    return template_create(actor=None, organisation_id=unit.id, **DEMO_TEMPLATE)
