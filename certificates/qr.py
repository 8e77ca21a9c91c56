"""QR codes drawn as one vector path from the `qrcode` package's module matrix.

ReportLab's QrCodeWidget draws every dark module as its own rectangle through the graphics
layer; merging each row's dark modules into runs and filling them as a single path renders the
same code about twice as fast and keeps the PDF small.
"""

from __future__ import annotations

import functools

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white the QR standard asks for around the code


@functools.lru_cache(maxsize=256)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """Module matrix (row 0 = top, True = dark) without the quiet zone."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(data)
    qr.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in qr.get_matrix())


def dark_runs(matrix) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every horizontal run of dark modules."""
    runs = []
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


def draw_qr(canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the code for `data` with its lower-left corner at (x, y), `size` points wide."""
    matrix = qr_matrix(data)
    n = len(matrix)
    module = size / n
    top = y + size
    path = canvas.beginPath()
    for r, c, length in dark_runs(matrix):
        path.rect(x + c * module, top - (r + 1) * module, length * module, module)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
