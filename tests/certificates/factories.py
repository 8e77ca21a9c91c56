import datetime as dt

from certificates.pdf import CertificateContent


def certificate_content(**overrides) -> CertificateContent:
    values = dict(
        holder_name="Nguyễn Thị Thanh Hương",
        holder_honorific="Bà",
        holder_unit="Vụ Thông tin đối ngoại, Bộ Ngoại giao",
        course_title="Nâng cao chất lượng công tác thông tin đối ngoại trong tình hình mới",
        course_hours=40,
        completion_date=dt.date(2026, 2, 3),
        issued_on=dt.date(2026, 2, 5),
        serial="0001/2026/GCN",
        verify_url="https://ttdn.example.vn/xac-thuc/7KQ2-M9ZD-0VXH-4RTA",
        issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
        parent_issuer_name="Ban Chỉ đạo công tác thông tin đối ngoại",
        place="Hà Nội",
        signer_title="Hiệu trưởng",
        signer_name="Trần Văn Minh",
    )
    values.update(overrides)
    return CertificateContent(**values)
