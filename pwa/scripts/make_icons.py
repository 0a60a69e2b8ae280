"""Draw the app's icons (PNG) into public/icons/. Run: ../.venv/bin/python scripts/make_icons.py

A receipt with a tick on the brand blue: what the app is for (receipts, approval). Drawn
with shapes only (no fonts), at 4x and scaled down, so the output is the same on every machine.
The "any" icons are a rounded square; the maskable ones fill the canvas and keep the
drawing inside the central 80 % safe zone that launchers may crop to a circle.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (0x1C, 0x3F, 0x6E, 255)
WHITE = (255, 255, 255, 255)
ACCENT = (0x2E, 0x9E, 0x6B, 255)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"
SCALE = 4


def draw_glyph(draw: ImageDraw.ImageDraw, size: int, extent: float) -> None:
    """The receipt and tick, fitted into a centred square of ``extent`` x ``size``."""
    box = size * extent
    left = (size - box) / 2
    top = (size - box) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return (left + x * box, top + y * box)

    # Receipt: a tall sheet with a zigzag (torn) bottom edge.
    x0, x1, y0, y1 = 0.22, 0.78, 0.1, 0.9
    teeth = 5
    outline = [at(x0, y0), at(x1, y0), at(x1, y1)]
    step = (x1 - x0) / teeth
    for i in range(teeth):
        outline.append(at(x1 - step * (i + 0.5), y1 - 0.06))
        outline.append(at(x1 - step * (i + 1), y1))
    draw.polygon(outline, fill=WHITE)
    # Printed lines.
    for row, width in ((0.24, 0.4), (0.34, 0.3), (0.44, 0.36)):
        draw.rounded_rectangle([at(0.31, row), at(0.31 + width, row + 0.045)], radius=box * 0.02, fill=BRAND)
    # Tick in a green disc, bottom right.
    cx, cy, r = 0.66, 0.68, 0.17
    draw.ellipse([at(cx - r, cy - r), at(cx + r, cy + r)], fill=ACCENT, outline=WHITE, width=int(box * 0.03))
    draw.line([at(cx - 0.08, cy), at(cx - 0.02, cy + 0.06), at(cx + 0.09, cy - 0.06)], fill=WHITE,
              width=int(box * 0.045), joint="curve")


def icon(size: int, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle([0, 0, big, big], fill=BRAND)
        draw_glyph(draw, big, extent=0.62)
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.2, fill=BRAND)
        draw_glyph(draw, big, extent=0.82)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def shortcut(size: int, kind: str) -> Image.Image:
    """The manifest's shortcuts: "Nytt kvitto" (a receipt with a plus) and "Attestera" (a tick)."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.2, fill=BRAND)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * big, y * big)

    if kind == "receipt":
        x0, x1, y0, y1, teeth = 0.26, 0.74, 0.16, 0.84, 4
        outline = [at(x0, y0), at(x1, y0), at(x1, y1)]
        step = (x1 - x0) / teeth
        for i in range(teeth):
            outline.append(at(x1 - step * (i + 0.5), y1 - 0.05))
            outline.append(at(x1 - step * (i + 1), y1))
        draw.polygon(outline, fill=WHITE)
        cx, cy, r = 0.5, 0.5, 0.17
        draw.ellipse([at(cx - r, cy - r), at(cx + r, cy + r)], fill=ACCENT)
        bar = big * 0.035
        draw.rectangle([cx * big - big * 0.1, cy * big - bar, cx * big + big * 0.1, cy * big + bar], fill=WHITE)
        draw.rectangle([cx * big - bar, cy * big - big * 0.1, cx * big + bar, cy * big + big * 0.1], fill=WHITE)
    else:
        cx, cy, r = 0.5, 0.5, 0.3
        draw.ellipse([at(cx - r, cy - r), at(cx + r, cy + r)], fill=ACCENT, outline=WHITE, width=int(big * 0.04))
        draw.line([at(0.36, 0.51), at(0.46, 0.61), at(0.65, 0.41)], fill=WHITE, width=int(big * 0.07), joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)
    # iOS ignores transparency and rounds corners itself: the full-bleed version fits.
    icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    for kind in ("receipt", "attest"):
        shortcut(96, kind).save(OUT / f"shortcut-{kind}-96.png", optimize=True)
    print(f"Icons written to {OUT}")


if __name__ == "__main__":
    main()
