import datetime as dt
import re
import subprocess
import unicodedata

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from certificates.pdf import PAGE_H, PAGE_W, render_bare_page, render_certificate
from certificates.pdftext import clean, en_date_line, fit, vi_date_line, wrap
from certificates.qr import dark_runs, draw_qr, qr_matrix
from tests.certificates.factories import certificate_content
from tests.certificates.images import seal_png, signature_png

pytestmark = pytest.mark.usefixtures("vietnamese_font")

LONG_NAME = "Tôn Nữ Hoàng Thị Phương Uyên Nguyễn Phước Bửu Trân Quỳnh Hương Công Tằng Tôn Nữ Diệu Huyền"
LONG_TITLE = (
    "Bồi dưỡng kiến thức, kỹ năng thông tin đối ngoại cho cán bộ các cơ quan đại diện Việt Nam ở nước "
    "ngoài: quảng bá hình ảnh quốc gia bằng nhiều ngôn ngữ, làm việc với phóng viên, chuyên gia, học "
    "giả nước ngoài và người Việt Nam ở nước ngoài, đấu tranh phản bác thông tin sai lệch trên mạng xã hội"
)


def pdf_text(pdf: bytes, *args: str) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf,
                            capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_info(pdf: bytes) -> dict[str, str]:
    result = subprocess.run(["pdfinfo", "-enc", "UTF-8", "-"], input=pdf, capture_output=True, check=True)
    info = {}
    for line in result.stdout.decode("utf-8").splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def word_boxes(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    html = pdf_text(pdf, "-bbox")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, html)]


def assert_inside_frame(pdf: bytes) -> None:
    boxes = word_boxes(pdf)
    assert boxes
    for word, x0, y0, x1, y1 in boxes:
        assert x0 >= 25 and x1 <= PAGE_W - 25 and y0 >= 25 and y1 <= PAGE_H - 25, word


@pytest.mark.usefixtures("poppler")
class TestExtractedText:
    def test_vietnamese_form_text_extracts_exactly(self):
        text = flat(pdf_text(render_certificate(certificate_content())))
        for expected in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "GIẤY CHỨNG NHẬN",
            "HOÀN THÀNH KHÓA BỒI DƯỠNG",
            "TRƯỜNG BỒI DƯỠNG CÁN BỘ THÔNG TIN ĐỐI NGOẠI",
            "Số: 0001/2026/GCN",
            "Bà Nguyễn Thị Thanh Hương",
            "Nâng cao chất lượng công tác thông tin đối ngoại trong tình hình mới",
            "Hà Nội, ngày 05 tháng 02 năm 2026",
            "HIỆU TRƯỞNG",
            "Trần Văn Minh",
            "https://ttdn.example.vn/xac-thuc/7KQ2-M9ZD-0VXH-4RTA",
        ):
            assert expected in text
        assert unicodedata.is_normalized("NFC", text)

    def test_decomposed_input_is_drawn_and_extracted_as_nfc(self):
        nfd_name = unicodedata.normalize("NFD", "Phạm Thị Ngọc Ánh")
        nfd_title = unicodedata.normalize("NFD", "Quảng bá hình ảnh quốc gia")
        assert nfd_name != "Phạm Thị Ngọc Ánh"
        text = pdf_text(render_certificate(certificate_content(holder_name=nfd_name,
                                                               course_title=nfd_title)))
        assert "Phạm Thị Ngọc Ánh" in text
        assert "Quảng bá hình ảnh quốc gia" in text
        assert "\u0323" not in text and "\u0301" not in text  # no stray combining marks

    def test_name_without_honorific_is_just_the_name(self):
        text = pdf_text(render_certificate(certificate_content(holder_honorific="")))
        assert "Nguyễn Thị Thanh Hương" in text
        assert "Bà Nguyễn" not in text

    def test_long_name_and_title_stay_whole_and_inside_the_page(self):
        pdf = render_certificate(certificate_content(
            holder_name=LONG_NAME, course_title=LONG_TITLE, holder_unit=LONG_TITLE,
            wording=LONG_TITLE + " " + LONG_TITLE, issuer_name=LONG_NAME.upper(),
            parent_issuer_name=LONG_NAME, signer_title=LONG_NAME, valid_until=dt.date(2028, 2, 5)))
        text = flat(pdf_text(pdf))
        assert LONG_NAME in text
        assert LONG_TITLE in text
        assert_inside_frame(pdf)

    def test_single_unbreakable_word_is_split_not_overflowing(self):
        pdf = render_certificate(certificate_content(holder_name="Ư" * 120))
        assert "Ư" * 120 in flat(pdf_text(pdf)).replace(" ", "")
        assert_inside_frame(pdf)

    def test_typical_certificate_stays_inside_the_frame(self):
        assert_inside_frame(render_certificate(certificate_content(
            signature_image=signature_png(), seal_image=seal_png(), wording="Kết quả: Đạt.")))

    def test_english_layout(self):
        pdf = render_certificate(certificate_content(
            language="en", holder_honorific="Ms", place="Hanoi", course_hours=7.5,
            course_title="Working with foreign press"))
        text = pdf_text(pdf)
        for expected in ("CERTIFICATE OF COMPLETION", "SOCIALIST REPUBLIC OF VIET NAM",
                         "Independence - Freedom - Happiness", "No.: 0001/2026/GCN",
                         "This is to certify that", "Ms Nguyễn Thị Thanh Hương",
                         "Working with foreign press", "Duration: 7.5 hours",
                         "Completed on: 3 February 2026", "Hanoi, 5 February 2026"):
            assert expected in text
        assert "GIẤY CHỨNG NHẬN" not in text

    def test_vietnamese_hours_use_a_decimal_comma(self):
        assert "Thời lượng: 7,5 giờ" in pdf_text(render_certificate(certificate_content(course_hours=7.5)))

    def test_hours_are_optional(self):
        text = pdf_text(render_certificate(certificate_content(course_hours=None)))
        assert "Thời lượng" not in text
        assert "Ngày hoàn thành: 03/02/2026" in text

    def test_revoked_copy_carries_the_status_note_as_text(self):
        # The stamp is rotated; -raw reads in drawing order, which keeps rotated words whole.
        pdf = render_certificate(certificate_content(status_note="ĐÃ THU HỒI"))
        assert "ĐÃ THU HỒI" in pdf_text(pdf, "-raw")
        assert "Nguyễn Thị Thanh Hương" in pdf_text(pdf)

    def test_bare_page_prints_the_same_core_text(self):
        text = pdf_text(render_bare_page(certificate_content()))
        assert "Nguyễn Thị Thanh Hương" in text
        assert "GIẤY CHỨNG NHẬN" in text


@pytest.mark.usefixtures("poppler")
def test_pdf_metadata():
    info = pdf_info(render_certificate(certificate_content()))
    assert info["Title"] == "Giấy chứng nhận - Nguyễn Thị Thanh Hương"
    assert info["Author"] == "Trường Bồi dưỡng cán bộ thông tin đối ngoại"
    assert info["Subject"] == "Nâng cao chất lượng công tác thông tin đối ngoại trong tình hình mới"
    assert info["Creator"] == "TTĐN e-learning platform"
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("841.89 x 595.27")  # A4 landscape


def test_images_are_embedded():
    plain = render_certificate(certificate_content())
    stamped = render_certificate(certificate_content(signature_image=signature_png(), seal_image=seal_png()))
    assert plain.startswith(b"%PDF-")
    assert b"/Subtype /Image" in stamped and b"/Subtype /Image" not in plain


def test_unreadable_image_is_a_value_error():
    with pytest.raises(ValueError, match="readable image"):
        render_certificate(certificate_content(seal_image=b"not an image"))


class TestQr:
    URL = "https://ttdn.example.vn/xac-thuc/7KQ2-M9ZD-0VXH-4RTA"

    def test_matrix_is_qrcodes_matrix(self):
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        qr.add_data(self.URL)
        qr.make(fit=True)
        expected = [[bool(c) for c in row] for row in qr.get_matrix()]
        assert [list(row) for row in qr_matrix(self.URL)] == expected

    def test_runs_rebuild_the_matrix_exactly(self):
        matrix = qr_matrix(self.URL)
        rebuilt = [[False] * len(matrix) for _ in matrix]
        for row, col, length in dark_runs(matrix):
            for c in range(col, col + length):
                assert not rebuilt[row][c]  # runs never overlap
                rebuilt[row][c] = True
        assert rebuilt == [list(row) for row in matrix]

    def test_drawn_path_covers_exactly_the_dark_modules(self):
        class Path:
            def __init__(self):
                self.rects = []

            def rect(self, x, y, w, h):
                self.rects.append((x, y, w, h))

        class Canvas:
            def beginPath(self):
                self.path = Path()
                return self.path

            def drawPath(self, path, stroke, fill):
                self.drawn = (path, stroke, fill)

            def saveState(self): pass
            def restoreState(self): pass
            def setFillColorRGB(self, *rgb): pass

        canvas = Canvas()
        matrix = qr_matrix(self.URL)
        n = len(matrix)
        draw_qr(canvas, self.URL, x=10, y=20, size=n)  # one point per module
        path, stroke, fill = canvas.drawn
        assert (stroke, fill) == (0, 1)
        drawn = [[False] * n for _ in range(n)]
        for x, y, w, h in path.rects:
            assert h == 1
            row = n - 1 - round(y - 20)  # PDF y grows upwards; row 0 is the top
            for col in range(round(x - 10), round(x - 10 + w)):
                drawn[row][col] = True
        assert drawn == [list(r) for r in matrix]


class TestDates:
    @pytest.mark.parametrize(("day", "expected"), [
        (dt.date(2026, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 1), "Hà Nội, ngày 01 tháng 01 năm 2026"),
        (dt.date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 11, 20), "Hà Nội, ngày 20 tháng 11 năm 2026"),
        (dt.date(2026, 12, 31), "Hà Nội, ngày 31 tháng 12 năm 2026"),
    ])
    def test_decree_30_date_line(self, day, expected):
        assert vi_date_line("Hà Nội", day) == expected

    def test_date_line_without_place(self):
        assert vi_date_line("", dt.date(2026, 2, 5)) == "Ngày 05 tháng 02 năm 2026"

    def test_english_date_line(self):
        assert en_date_line("Hanoi", dt.date(2026, 2, 5)) == "Hanoi, 5 February 2026"


class TestFitting:
    def test_clean_normalises_and_collapses_spaces(self):
        assert clean(unicodedata.normalize("NFD", "  Lê   Văn\tTám ")) == "Lê Văn Tám"

    def test_short_text_keeps_its_size(self):
        from certificates import fonts

        size_and_lines = fit("Lê Văn Tám", fonts.BOLD, 600, max_size=24, min_size=14, max_lines=2)
        assert size_and_lines == (24, ["Lê Văn Tám"])

    def test_long_text_shrinks_then_wraps_within_width(self):
        from certificates import fonts
        from certificates.pdftext import width_of

        size, lines = fit(LONG_TITLE, fonts.BOLD, 400, max_size=18, min_size=12, max_lines=3)
        assert size < 18 and len(lines) <= 3
        assert all(width_of(line, fonts.BOLD, size) <= 400 for line in lines)
        assert " ".join(lines) == LONG_TITLE

    def test_wrap_never_loses_characters(self):
        from certificates import fonts

        assert "".join(wrap("x" * 500, fonts.REGULAR, 12, 100)) == "x" * 500
