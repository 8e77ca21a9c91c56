"""Certificate PDF in Vietnamese official form (A4 landscape). Pure: content in, bytes out.

The two layouts ("vi", "en") are closed sets of fixed wording laid down by the official form,
so their labels live here rather than in gettext catalogues: the language of a certificate is
a property of the document, not of whoever happens to request it, and a missing translation
must never turn a Vietnamese certificate into an English one.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from certificates import fonts
from certificates.pdftext import (
    clean,
    en_date,
    en_date_line,
    fit,
    vi_date_line,
    vi_short_date,
    width_of,
)
from certificates.qr import draw_qr

PAGE_W, PAGE_H = landscape(A4)
CREATOR = "TTĐN e-learning platform"
DARK_RED = (0.60, 0.07, 0.07)
INK = (0.08, 0.08, 0.12)
# Reserved for the visible digital signature (decision 0067): bottom centre, between the QR
# code's URL (ends at x≈292) and the seal (starts at x≈457); (x1, y1, x2, y2) in points.
# The block is drawn only on digitally signed copies; the signature widget sits on top of it.
SIGNATURE_BOX = (300, 40, 420, 100)

LABELS = {
    "vi": {
        "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "serial": "Số: {}",
        "title": "GIẤY CHỨNG NHẬN",
        "subtitle": "HOÀN THÀNH KHÓA BỒI DƯỠNG",
        "certify": "Chứng nhận:",
        "completed": "Đã hoàn thành khóa bồi dưỡng",
        "hours": "Thời lượng: {} giờ",
        "completed_on": "Ngày hoàn thành: {}",
        "valid_until": "Có giá trị đến hết ngày {}",
        "verify": "Tra cứu, xác thực:",
        "meta_title": "Giấy chứng nhận - {}",
    },
    "en": {
        "nation": "SOCIALIST REPUBLIC OF VIET NAM",
        "motto": "Independence - Freedom - Happiness",
        "serial": "No.: {}",
        "title": "CERTIFICATE OF COMPLETION",
        "subtitle": "TRAINING COURSE",
        "certify": "This is to certify that",
        "completed": "has successfully completed the training course",
        "hours": "Duration: {} hours",
        "completed_on": "Completed on: {}",
        "valid_until": "Valid until {}",
        "verify": "Verify at:",
        "meta_title": "Certificate of completion - {}",
    },
}


@dataclass(frozen=True)
class CertificateContent:
    holder_name: str
    course_title: str
    completion_date: dt.date
    issued_on: dt.date
    serial: str
    verify_url: str
    issuer_name: str
    signer_title: str
    signer_name: str
    course_hours: int | float | Decimal | None = None
    parent_issuer_name: str = ""
    place: str = "Hà Nội"
    holder_honorific: str = ""  # "Ông" / "Bà" (or "Mr" / "Ms"); empty when unknown
    holder_unit: str = ""  # đơn vị công tác, printed under the name when given
    wording: str = ""
    signature_image: bytes | None = None
    seal_image: bytes | None = None
    language: Literal["vi", "en"] = "vi"
    status_note: str = ""  # e.g. "ĐÃ THU HỒI" stamped across revoked copies
    valid_until: dt.date | None = None
    digital_signer: str = ""  # the signing certificate's name: draws the signature block
    digitally_signed_on: dt.date | None = None


def _hours(value, language: str) -> str:
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",") if language == "vi" else text


@functools.lru_cache(maxsize=16)
def _image(data: bytes) -> ImageReader:
    """Decoded once per distinct image: an issuer's seal and signature repeat on every copy."""
    try:
        return ImageReader(io.BytesIO(data))
    except Exception as exc:
        raise ValueError("The signature or seal is not a readable image.") from exc


def _canvas(content: CertificateContent, labels: dict, buffer: io.BytesIO) -> Canvas:
    fonts.register_fonts()
    c = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    holder = clean(content.holder_name)
    c.setTitle(labels["meta_title"].format(holder))
    c.setAuthor(clean(content.issuer_name))
    c.setSubject(clean(content.course_title))
    c.setCreator(CREATOR)
    c.setKeywords(clean(content.serial))
    return c


def _centred(c: Canvas, lines, font: str, size: float, cx: float, y: float, leading: float) -> float:
    """Draw lines centred on cx from baseline y downwards; returns the baseline after the last."""
    c.setFont(font, size)
    for line in lines:
        c.drawCentredString(cx, y, line)
        y -= leading
    return y


def _frame(c: Canvas) -> None:
    c.setStrokeColorRGB(*DARK_RED)
    c.setLineWidth(3)
    c.rect(18, 18, PAGE_W - 36, PAGE_H - 36)
    c.setLineWidth(0.8)
    c.rect(25, 25, PAGE_W - 50, PAGE_H - 50)


def _fit_heading(text: str, font: str, width: float) -> tuple[float, list[str]]:
    """Names of bodies stay on one line down to 10 pt; longer ones wrap onto two at 12 pt."""
    size, lines = fit(text, font, width, max_size=12, min_size=10, max_lines=1, floor=10)
    if len(lines) == 1:
        return size, lines
    return fit(text, font, width, max_size=12, min_size=8, max_lines=2)


def _header(c: Canvas, content: CertificateContent, labels: dict) -> None:
    c.setFillColorRGB(*INK)
    c.setStrokeColorRGB(*INK)
    # Left: issuing body (parent body above it), a short rule, then the serial.
    lx, lw, y = 210.0, 330.0, PAGE_H - 62
    parent = clean(content.parent_issuer_name).upper()
    if parent:
        size, lines = _fit_heading(parent, fonts.REGULAR, lw)
        y = _centred(c, lines, fonts.REGULAR, size, lx, y, size * 1.3)
    size, lines = _fit_heading(clean(content.issuer_name).upper(), fonts.BOLD, lw)
    y = _centred(c, lines, fonts.BOLD, size, lx, y, size * 1.3)
    rule_y = y + size * 1.3 - 7  # just under the last line of the issuing body
    rule = min(width_of(lines[-1], fonts.BOLD, size), lw) / 3
    c.setLineWidth(0.7)
    c.line(lx - rule / 2, rule_y, lx + rule / 2, rule_y)
    _centred(c, [labels["serial"].format(clean(content.serial))], fonts.REGULAR, 12, lx, rule_y - 19, 15)
    # Right: national heading and motto, the motto underlined along its whole width.
    rx, y = 575.0, PAGE_H - 62
    y = _centred(c, [labels["nation"]], fonts.BOLD, 12, rx, y, 16)
    _centred(c, [labels["motto"]], fonts.BOLD, 13, rx, y, 16)
    half = width_of(labels["motto"], fonts.BOLD, 13) / 2
    c.line(rx - half, y - 5, rx + half, y - 5)


def _body_blocks(content: CertificateContent, labels: dict, scale: float) -> list[tuple]:
    """(lines, font, size, leading, gap_before, colour) for each block of the centre column."""
    width = 640.0
    blocks: list[tuple] = []

    def add(text, font, max_size, min_size, max_lines, gap, colour=INK, one_line_min=None):
        size, lines = fit(text, font, width, max_size=max_size * scale, min_size=min_size * scale,
                          max_lines=max_lines, one_line_min=one_line_min and one_line_min * scale)
        blocks.append((lines, font, size, size * 1.3, gap * scale, colour))

    name = clean(f"{clean(content.holder_honorific)} {clean(content.holder_name)}")
    add(labels["certify"], fonts.ITALIC, 14, 14, 1, 0)
    add(name, fonts.BOLD, 24, 15, 2, 8, DARK_RED, one_line_min=18)
    if clean(content.holder_unit):
        add(clean(content.holder_unit), fonts.REGULAR, 13, 10, 2, 2, one_line_min=11)
    add(labels["completed"], fonts.ITALIC, 14, 14, 1, 8)
    add(clean(content.course_title), fonts.BOLD, 18, 12, 3, 6, one_line_min=15)
    details = []
    if content.course_hours is not None:
        details.append(labels["hours"].format(_hours(content.course_hours, content.language)))
    when = vi_short_date if content.language == "vi" else en_date
    details.append(labels["completed_on"].format(when(content.completion_date)))
    add("   \u2022   ".join(details), fonts.REGULAR, 12.5, 10, 2, 6)
    if content.valid_until is not None:
        add(labels["valid_until"].format(when(content.valid_until)), fonts.REGULAR, 12, 10, 1, 2)
    if clean(content.wording):
        add(clean(content.wording), fonts.ITALIC, 11.5, 9, 3, 6, one_line_min=10.5)
    return blocks


def _body(c: Canvas, content: CertificateContent, labels: dict, top: float, bottom: float) -> None:
    """Lay the centre column out between top and bottom, shrinking it as a whole if needed."""
    scale = 1.0
    while True:
        blocks = _body_blocks(content, labels, scale)
        height = sum(gap + leading * len(lines) for lines, _f, _s, leading, gap, _c in blocks)
        if height <= top - bottom or scale <= 0.5:
            break
        scale -= 0.05
    # Centre vertically in the space: a short certificate should not cling to the title.
    y = top - max(0.0, (top - bottom - height) / 2)
    for lines, font, size, leading, gap, colour in blocks:
        y -= gap
        c.setFillColorRGB(*colour)
        _centred(c, lines, font, size, PAGE_W / 2, y - size, leading)
        y -= leading * len(lines)
    c.setFillColorRGB(*INK)


def _signature(c: Canvas, content: CertificateContent, labels: dict) -> None:
    cx, width = 575.0, 300.0
    line = (vi_date_line if content.language == "vi" else en_date_line)(content.place, content.issued_on)
    size, lines = fit(line, fonts.ITALIC, width + 40, max_size=12.5, min_size=9, max_lines=1)
    y = _centred(c, lines, fonts.ITALIC, size, cx, 176, 16)
    size, lines = fit(clean(content.signer_title).upper(), fonts.BOLD, width, max_size=13, min_size=9,
                      max_lines=2)
    _centred(c, lines, fonts.BOLD, size, cx, y - 1, size * 1.25)
    box_top, box_bottom = 128.0, 62.0
    if content.seal_image:  # the seal overlaps the left third of the signature, as stamped on paper
        seal = 92.0
        c.drawImage(_image(content.seal_image), cx - 118, box_bottom - 4, seal, seal,
                    mask="auto", preserveAspectRatio=True, anchor="c")
    if content.signature_image:
        c.drawImage(_image(content.signature_image), cx - 80, box_bottom, 160, box_top - box_bottom,
                    mask="auto", preserveAspectRatio=True, anchor="c")
    size, lines = fit(clean(content.signer_name), fonts.BOLD, width, max_size=14, min_size=9, max_lines=1)
    _centred(c, lines, fonts.BOLD, size, cx, 44, 16)


def _verification(c: Canvas, content: CertificateContent, labels: dict) -> None:
    x, y, size = 62.0, 70.0, 84.0
    c.setFont(fonts.REGULAR, 8)
    c.drawString(x, y + size + 6, labels["verify"])
    draw_qr(c, content.verify_url, x, y, size)
    size, lines = fit(content.verify_url, fonts.REGULAR, 230, max_size=7, min_size=5.5, max_lines=2,
                      floor=4)
    c.setFont(fonts.REGULAR, size)
    baseline = y - 9
    for line in lines:
        c.drawString(x, baseline, line)
        baseline -= size * 1.2


def _signature_block(c: Canvas, content: CertificateContent) -> None:
    """Who signed digitally and when, in the box the signature widget covers (decision 0067)."""
    from certificates.pades.stamp import LABELS as SIGNED

    x1, y1, x2, y2 = SIGNATURE_BOX
    width, height, pad = x2 - x1, y2 - y1, 4.0
    c.saveState()
    c.setStrokeColorRGB(*DARK_RED)
    c.setLineWidth(0.6)
    c.roundRect(x1 + 0.5, y1 + 0.5, width - 1, height - 1, 3)
    signed_by, signed_on = SIGNED.get(content.language, SIGNED["vi"])
    size, lines = fit(signed_by.format(clean(content.digital_signer)), fonts.BOLD, width - 2 * pad,
                      max_size=7.5, min_size=4.5, max_lines=4, floor=4)
    c.setFillColorRGB(*INK)
    c.setFont(fonts.BOLD, size)
    y = y2 - pad - size
    for line in lines:
        c.drawString(x1 + pad, y, line)
        y -= size * 1.2
    when = content.digitally_signed_on or content.issued_on
    c.setFont(fonts.REGULAR, 7)
    c.drawString(x1 + pad, max(y1 + pad, y - 1), signed_on.format(when.strftime("%d/%m/%Y")))
    c.restoreState()


def _status_stamp(c: Canvas, note: str) -> None:
    """A revoked copy must be unmistakable on screen and on paper, but stay readable text."""
    c.saveState()
    c.setFillColorRGB(0.80, 0.0, 0.0)
    c.setFillAlpha(0.28)
    c.translate(PAGE_W / 2, PAGE_H / 2 - 10)
    c.rotate(18)
    size, lines = fit(note, fonts.BOLD, 620, max_size=84, min_size=30, max_lines=2)
    _centred(c, lines, fonts.BOLD, size, 0, -size / 3, size * 1.1)
    c.restoreState()


def render_certificate(content: CertificateContent) -> bytes:
    """One-page PDF certificate; raises fonts.FontUnavailable rather than print boxes."""
    labels = LABELS[content.language]
    buffer = io.BytesIO()
    c = _canvas(content, labels, buffer)
    _frame(c)
    _header(c, content, labels)
    c.setFillColorRGB(*DARK_RED)
    title_size = 34 if content.language == "vi" else 30
    _centred(c, [labels["title"]], fonts.BOLD, title_size, PAGE_W / 2, PAGE_H - 170, 20)
    c.setFillColorRGB(*INK)
    _centred(c, [labels["subtitle"]], fonts.BOLD, 14, PAGE_W / 2, PAGE_H - 195, 20)
    _body(c, content, labels, top=PAGE_H - 205, bottom=196)
    _signature(c, content, labels)
    _verification(c, content, labels)
    if clean(content.digital_signer):
        _signature_block(c, content)
    if clean(content.status_note):
        _status_stamp(c, clean(content.status_note))
    c.showPage()
    c.save()
    return buffer.getvalue()


def render_bare_page(content: CertificateContent) -> bytes:
    """The same page drawn with bare ReportLab calls at fixed positions: the benchmark baseline.

    Same fonts, text and QR path, but no normalisation, fitting, wrapping or images: what any
    hand-written ReportLab script would do. render_certificate's overhead is measured against it.
    """
    labels = LABELS[content.language]
    fonts.register_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(PAGE_W, PAGE_H))
    c.setTitle(labels["meta_title"].format(content.holder_name))
    c.setAuthor(content.issuer_name)
    c.setSubject(content.course_title)
    c.setCreator(CREATOR)
    c.rect(18, 18, PAGE_W - 36, PAGE_H - 36)
    c.setFont(fonts.REGULAR, 12)
    c.drawCentredString(205, PAGE_H - 62, content.parent_issuer_name.upper())
    c.setFont(fonts.BOLD, 12)
    c.drawCentredString(205, PAGE_H - 77, content.issuer_name.upper())
    c.setFont(fonts.REGULAR, 12)
    c.drawCentredString(205, PAGE_H - 100, labels["serial"].format(content.serial))
    c.setFont(fonts.BOLD, 12)
    c.drawCentredString(575, PAGE_H - 62, labels["nation"])
    c.drawCentredString(575, PAGE_H - 78, labels["motto"])
    c.setFont(fonts.BOLD, 34)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 170, labels["title"])
    c.setFont(fonts.BOLD, 14)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 195, labels["subtitle"])
    c.setFont(fonts.ITALIC, 14)
    c.drawCentredString(PAGE_W / 2, 360, labels["certify"])
    c.setFont(fonts.BOLD, 24)
    c.drawCentredString(PAGE_W / 2, 330, content.holder_name)
    c.setFont(fonts.ITALIC, 14)
    c.drawCentredString(PAGE_W / 2, 300, labels["completed"])
    c.setFont(fonts.BOLD, 18)
    c.drawCentredString(PAGE_W / 2, 275, content.course_title)
    c.setFont(fonts.ITALIC, 12)
    c.drawCentredString(575, 176, vi_date_line(content.place, content.issued_on))
    c.setFont(fonts.BOLD, 13)
    c.drawCentredString(575, 160, content.signer_title.upper())
    c.drawCentredString(575, 44, content.signer_name)
    draw_qr(c, content.verify_url, 62, 70, 84)
    c.setFont(fonts.REGULAR, 6.5)
    c.drawString(62, 61, content.verify_url)
    c.showPage()
    c.save()
    return buffer.getvalue()
