"""Certificates per second on one core: render_certificate vs the bare ReportLab baseline.

Run: `DJANGO_DEBUG=1 .venv/bin/python -m tests.bench.certificate_pdf [seconds]`. Not a test:
timing depends on the machine; compare the two numbers from the same run, not across runs.
"""

import datetime as dt
import os
import sys
import time


def _content(i: int, *, images: bool):
    from certificates.pdf import CertificateContent
    from tests.certificates.images import seal_png, signature_png

    return CertificateContent(
        holder_name=f"Nguyễn Thị Thanh Hương {i}",
        holder_honorific="Bà",
        holder_unit="Vụ Thông tin đối ngoại, Bộ Ngoại giao",
        course_title="Nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới",
        course_hours=40,
        completion_date=dt.date(2026, 2, 3),
        issued_on=dt.date(2026, 2, 5),
        serial=f"{i:04d}/2026/GCN",
        verify_url=f"https://ttdn.example.vn/xac-thuc/7KQ2-M9ZD-0VXH-{i:04d}",
        issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
        parent_issuer_name="Ban Chỉ đạo công tác thông tin đối ngoại",
        signer_title="Hiệu trưởng",
        signer_name="Trần Văn Minh",
        signature_image=signature_png() if images else None,
        seal_image=seal_png() if images else None,
    )


def _rate(render, seconds: float, *, images: bool) -> float:
    render(_content(0, images=images))  # warm-up: font registration, caches
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        n += 1
        render(_content(n, images=images))
    return n / (time.perf_counter() - start)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from certificates.pdf import render_bare_page, render_certificate

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    bare = _rate(render_bare_page, seconds, images=False)
    full = _rate(render_certificate, seconds, images=False)
    with_images = _rate(render_certificate, seconds, images=True)
    print(f"render_bare_page                 {bare:6.1f} PDFs/s")
    print(f"render_certificate               {full:6.1f} PDFs/s  ({full / bare:.2f} x bare)")
    print(f"render_certificate + seal/sign.  {with_images:6.1f} PDFs/s  ({with_images / bare:.2f} x bare)")


if __name__ == "__main__":
    main()
