"""The visible signature block: "Ký số bởi: <name> / Ngày ký: dd/mm/yyyy" in the reserved box.

The block is drawn by ReportLab into the page itself (certificates/pdf.py, `_signature_block`)
with the certificate's own Vietnamese faces, and the signature field's widget is laid exactly
over it with a blank appearance. Why not an appearance stream of its own: pyHanko's text stamps
need fontTools for Vietnamese (not shipped), and importing a separately drawn appearance page
costs about 20 ms per PDF, half again the signature itself (measured; decision 0067). Drawn in
the page, the block is part of the signed content: changing it breaks the signature.
"""

from __future__ import annotations

import functools

LABELS = {"vi": ("Ký số bởi: {}", "Ngày ký: {}"), "en": ("Digitally signed by: {}", "Signed on: {}")}


@functools.lru_cache(maxsize=1)
def blank_style():
    """A widget appearance that draws nothing: the page underneath shows the block."""
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(background=None, border_width=0)
