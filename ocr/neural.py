"""The second engine: PP-OCRv4 (text detection and line recognition) through onnxruntime.

The models are the ONNX files inside the ``rapidocr-onnxruntime`` 1.4.4 wheel (PyPI),
so nothing is downloaded at run time. The wheel ships only the Chinese recogniser: it
reads digits, dates and amounts far better than Tesseract on photos, but drops the
spaces between Latin words and cannot produce å/ä/ö, so ``ocr.engines`` takes only its
digits (see ocr/README.md for the figures).

One engine per process, created on first use (``engine()``): loading costs ~0.3 s and
~80 MB, so a worker pays it once and the API process (which never reads images) never.
One thread per session: the process pool already keeps every core busy.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ocr.errors import OcrUnavailable

DETECT_SCALE: Final = 0.5
"""The detector sees the prepared image (22 px rows) at half size: 11 px rows are found as
well, and its time and memory grow with the pixels (a 1664 x 1088 input: 1.6 s, +280 MB;
at half size 0.2 s, +90 MB)."""
DETECT_MAX_PIXELS: Final = 400_000
"""And never more pixels than this: the detector's memory grows with them (a 1084 x 798
input took +265 MB; a worker peaked at 454 MB over two large receipts with 600,000 and at
359 MB with 400,000), and a worker must stay under 400 MB."""
DETECT_MAX_SIDE: Final = 1600
"""Nor a longer side than this (a very long receipt)."""
REC_BATCH: Final = 1
REC_MIN_WIDTH: Final = 96
"""Narrowest input of the recogniser (48 px high). rapidocr pads every crop to at least 320 px,
so a short amount ("7.50", a third of that) cost as much as a whole row; padded only to 96 px the
recognition took 0.53 instead of 0.77 s per SROIE receipt (bench/results/ocr_eval.md)."""
"""Line crops recognised one by one: batches are padded to their widest crop, and
receipt rows differ a lot in width (measured 1.36 vs 1.59 s CPU for 46 rows)."""


@dataclass(frozen=True, slots=True)
class Detection:
    """One text region found by the detector: four corners (tl, tr, br, bl) in image pixels."""

    corners: npt.NDArray[np.float64]

    @property
    def left(self) -> float:
        return float(self.corners[:, 0].min())

    @property
    def right(self) -> float:
        return float(self.corners[:, 0].max())

    @property
    def top(self) -> float:
        return float(self.corners[:, 1].min())

    @property
    def bottom(self) -> float:
        return float(self.corners[:, 1].max())


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    confidence: float


class NeuralEngine:
    """PP-OCRv4 detector and recogniser sessions, guarded for use from several threads."""

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime.ch_ppocr_det import TextDetector  # type: ignore[import-untyped]
            from rapidocr_onnxruntime.ch_ppocr_det.utils import (  # type: ignore[import-untyped]
                DBPostProcess,
                DetPreProcess,
            )
            from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer  # type: ignore[import-untyped]
            from rapidocr_onnxruntime.ch_ppocr_rec.utils import CTCLabelDecode  # type: ignore[import-untyped]
        except ImportError as exc:  # pragma: no cover - the dependency is pinned
            raise OcrUnavailable("rapidocr-onnxruntime is not installed.") from exc
        models = _models_dir()
        # rapidocr's own pre- and post-processing, around sessions made here with the options it
        # does not expose (see _session).
        detector = object.__new__(TextDetector)
        detector.limit_side_len, detector.limit_type = DETECT_MAX_SIDE, "max"
        detector.mean, detector.std, detector.preprocess_op = [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], None
        detector.postprocess_op = DBPostProcess(
            thresh=0.3, box_thresh=0.5, max_candidates=1000, unclip_ratio=1.6, use_dilation=True, score_mode="fast"
        )
        # rapidocr's "max" limit picks 960, 1500 or 2000 by the image's size; a 2000 px
        # input cost 1.6 s and 280 MB on one receipt, so the limit is fixed here.
        fixed = DetPreProcess(DETECT_MAX_SIDE, "max", detector.mean, detector.std)
        detector.get_preprocess = lambda _longest_side: fixed
        detector.infer = _session(models / "ch_PP-OCRv4_det_infer.onnx")
        recogniser = object.__new__(TextRecognizer)
        recogniser.session = _session(models / "ch_PP-OCRv4_rec_infer.onnx")
        recogniser.postprocess_op = CTCLabelDecode(character=recogniser.session.characters())
        recogniser.rec_batch_num, recogniser.rec_image_shape = REC_BATCH, [3, 48, REC_MIN_WIDTH]
        self._detector: Any = detector
        self._recogniser: Any = recogniser
        self._lock = threading.Lock()

    def detect(self, image: npt.NDArray[np.uint8]) -> list[Detection]:
        """Text regions of a grey image, top to bottom."""
        import cv2

        _give_back_memory()  # what preprocessing freed, before the detector's peak
        height, width = image.shape
        scale = min(DETECT_SCALE, (DETECT_MAX_PIXELS / max(1, height * width)) ** 0.5)
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        colour = np.ascontiguousarray(np.repeat(small[:, :, None], 3, axis=2))
        with self._lock:
            boxes, _ = self._detector(colour)
        _give_back_memory()
        if boxes is None or len(boxes) == 0:
            return []
        found = [Detection(np.asarray(b, dtype=np.float64) / scale) for b in boxes]
        return sorted(found, key=lambda d: (d.top + d.bottom, d.left))

    def recognise(self, image: npt.NDArray[np.uint8], regions: list[Detection]) -> list[Reading]:
        """The text of each region, read from a crop warped flat along the region's corners."""
        if not regions:
            return []
        crops = [_crop(image, region.corners) for region in regions]
        with self._lock:
            results, _ = self._recogniser(crops)
        return [Reading(str(text), float(score)) for text, score in results]


class _Session:
    """An onnxruntime session called as rapidocr calls its own: ``session(input)`` -> outputs."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name

    def __call__(self, batch: npt.NDArray[np.float32]) -> list[Any]:
        outputs: list[Any] = self._session.run(None, {self._input: batch})
        return outputs

    def characters(self) -> list[str]:
        text: str = self._session.get_modelmeta().custom_metadata_map["character"]
        return text.splitlines()


def _session(path: Path) -> _Session:
    """One thread, no memory arena and no memory pattern.

    Every receipt gives the detector another input size and the recogniser another row
    width; with onnxruntime's arena and per-shape memory patterns a worker's memory
    grew past 700 MB over ten receipts (measured), without them it stays flat.
    """
    import onnxruntime  # type: ignore[import-untyped]

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return _Session(onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"]))


def _crop(image: npt.NDArray[np.uint8], corners: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    import cv2

    width = int(max(np.linalg.norm(corners[0] - corners[1]), np.linalg.norm(corners[2] - corners[3])))
    height = int(max(np.linalg.norm(corners[0] - corners[3]), np.linalg.norm(corners[1] - corners[2])))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    flat = cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    return np.ascontiguousarray(np.repeat(flat[:, :, None], 3, axis=2))


def _give_back_memory() -> None:
    """Return the detector's freed buffers to the system (glibc keeps them otherwise).

    Without this a worker still held 358 MB after one large SROIE receipt (251 MB with
    it), and the next receipt's peak started from there."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _models_dir() -> Path:
    import rapidocr_onnxruntime  # type: ignore[import-untyped]

    return Path(rapidocr_onnxruntime.__file__).resolve().parent / "models"


@cache
def engine() -> NeuralEngine:
    """This process's engine, created on first use."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return NeuralEngine()


def warm_up() -> None:
    """Load the models now (in a new worker) rather than on the first receipt."""
    engine()
