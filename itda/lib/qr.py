"""QR codes as inline SVG."""


def qr_svg(data: str, *, label: str) -> str:
    """``data`` as an inline <svg> with an accessible name; its size comes from the stylesheet
    (class itda-qr-svg; no inline style under the CSP), not the mm attributes."""
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string(
        encoding="unicode"
    )
    return svg.replace("<svg ", f'<svg class="itda-qr-svg" role="img" aria-label="{label}" ', 1)
