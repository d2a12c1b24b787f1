"""QR codes as inline SVG, for printed letters and the kiosk screen."""

import qrcode
from django.utils.html import format_html


def qr_svg(data: str) -> str:
    """An inline SVG QR code: one path, horizontal runs merged (5 kB, not 17 kB). The mask
    is fixed: choosing the "best" of 8 costs 12 ms per code, and a page of 100 letters
    would wait over a second for it; every mask is valid and scanners read them all."""
    code = qrcode.QRCode(
        border=4, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" '
        'shape-rendering="crispEdges" aria-hidden="true" focusable="false">'
        '<rect width="{0}" height="{0}" fill="#fff"/><path d="{1}" fill="#000"/></svg>',
        size,
        "".join(runs),
    )
