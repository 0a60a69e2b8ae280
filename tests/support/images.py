"""Receipt-like images made in the test, so tests never depend on files they cannot see."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

LINES = [
    "ICA Supermarket Test",
    "Org.nr 556677-8899",
    "2026-11-20 12:34",
    "Kaffe             45,00",
    "Smörgås           89,50",
    "Moms 12%          14,36",
    "TOTALT SEK       134,50",
    "Kort VISA        134,50",
]


def receipt_image(
    lines: list[str] | None = None, fmt: str = "JPEG", size: tuple[int, int] = (900, 1300), seed_text: str = ""
) -> bytes:
    """A clean, printed-looking receipt; ``seed_text`` varies the pixels so hashes differ."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("DejaVuSansMono.ttf", 34)
    except OSError:
        font = ImageFont.load_default(size=34)
    y = 60
    for line in [*(lines or LINES), seed_text]:
        draw.text((60, y), line, fill="black", font=font)
        y += 70
    out = io.BytesIO()
    image.save(out, format=fmt, quality=90)
    return out.getvalue()


def with_gps_exif() -> bytes:
    """A JPEG carrying GPS coordinates in its EXIF, like a phone photo."""
    image = Image.open(io.BytesIO(receipt_image()))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 5.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def iphone_heic() -> bytes:
    """The receipt as an iPhone stores it: HEIC, the sensor's pixels turned, EXIF orientation 6 to show it upright."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    sensor = Image.open(io.BytesIO(receipt_image())).rotate(90, expand=True)
    exif = sensor.getexif()
    exif[0x0112] = 6
    out = io.BytesIO()
    sensor.save(out, format="HEIF", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def decompression_bomb() -> bytes:
    """A tiny PNG that declares 30,000 x 30,000 pixels."""
    image = Image.new("1", (30000, 30000))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def multi_page_pdf(pages: int = 3) -> bytes:
    images = [Image.new("RGB", (400, 600), "white") for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()
