"""Boxes and the projective map from the OCR image back to the uploaded image.

Preprocessing crops, straightens, rotates and scales the photo; the app highlights
fields on the picture the user took, so every box is mapped back through the inverse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in pixels: left, top, width, height."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def center_y(self) -> float:
        return self.top + self.height / 2

    def to_json_dict(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}


def union(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all of ``boxes`` (which must not be empty)."""
    items = list(boxes)
    if not items:
        raise ValueError("union of no boxes")
    left = min(b.left for b in items)
    top = min(b.top for b in items)
    right = max(b.right for b in items)
    bottom = max(b.bottom for b in items)
    return Box(left, top, right - left, bottom - top)


def identity() -> Matrix:
    return np.eye(3, dtype=np.float64)


def scaling(sx: float, sy: float | None = None) -> Matrix:
    return np.array([[sx, 0, 0], [0, sx if sy is None else sy, 0], [0, 0, 1]], dtype=np.float64)


def translation(dx: float, dy: float) -> Matrix:
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]], dtype=np.float64)


def map_box(matrix: Matrix, box: Box, *, clip: tuple[int, int] | None = None) -> Box:
    """The bounding box of ``box``'s four corners under the projective ``matrix``.

    ``clip`` (width, height) keeps the result inside the target image.
    """
    corners = np.array(
        [[box.left, box.top, 1], [box.right, box.top, 1], [box.right, box.bottom, 1], [box.left, box.bottom, 1]],
        dtype=np.float64,
    ).T
    mapped = matrix @ corners
    xs = mapped[0] / mapped[2]
    ys = mapped[1] / mapped[2]
    left, right = float(xs.min()), float(xs.max())
    top, bottom = float(ys.min()), float(ys.max())
    if clip is not None:
        left, right = max(0.0, left), min(float(clip[0]), right)
        top, bottom = max(0.0, top), min(float(clip[1]), bottom)
    lo_x, lo_y = round(left), round(top)
    return Box(lo_x, lo_y, max(0, round(right) - lo_x), max(0, round(bottom) - lo_y))
