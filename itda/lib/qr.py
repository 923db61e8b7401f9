"""QR codes: inline SVG for pages, a PNG data URI for PDFs."""

import base64
import io


def qr_svg(data: str, *, label: str) -> str:
    """``data`` as an inline <svg> with an accessible name; its size comes from the stylesheet
    (class itda-qr-svg; no inline style under the CSP), not the mm attributes."""
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string(
        encoding="unicode"
    )
    return svg.replace("<svg ", f'<svg class="itda-qr-svg" role="img" aria-label="{label}" ', 1)


def qr_png_data_uri(data: str) -> str:
    """``data`` as a PNG of one pixel per module, drawn sharp at print size (a vector path of
    the same code costs WeasyPrint more to parse than the rest of the page)."""
    import qrcode

    # Any mask pattern scans; fixing one skips trying all eight (most of qrcode's time).
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=2, mask_pattern=0
    )
    code.add_data(data)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
