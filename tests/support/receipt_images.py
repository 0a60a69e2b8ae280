"""Receipt images drawn with Pillow: clean printed rows on white paper, for tests that need a receipt
with chosen contents (a date relative to today's clock, say) rather than one of the shared photos."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

RECEIPT_LINES = [
    "Kafe Testbageriet AB",
    "Storgatan 12",
    "111 22 Stockholm",
    "Org.nr 556036-0793",
    "",
    "2026-10-21 16:20",
    "",
    "Kaffe                 45,00",
    "Kanelbulle            35,00",
    "",
    "ATT BETALA            80,00",
    "",
    "Moms%  Moms   Netto  Brutto",
    "12     8,57   71,43  80,00",
    "",
    "Kort                  80,00",
]


def load_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSansMono.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def render_receipt(lines: list[str] = RECEIPT_LINES, *, size: int = 26) -> Image.Image:
    """A clean, upright receipt on white paper (RGB)."""
    font = load_font(size)
    width, height = 40 + size * 17, 60 + len(lines) * int(size * 1.5)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        draw.text((20, 30 + i * int(size * 1.5)), text, fill="black", font=font)
    return image
