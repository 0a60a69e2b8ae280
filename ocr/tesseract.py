"""One Tesseract pass: a grey image in, words with boxes and confidences out.

The engine is ``tesserocr`` (Tesseract's C++ API, one instance kept per process) rather
than ``pytesseract`` (one ``tesseract`` child process per call), because loading the
swe+eng models costs 0.3-0.45 s on every call of the command-line tool: measured on
this machine, a third of the time budget per receipt. When tesserocr is not installed
the same TSV comes from the ``tesseract`` binary through pytesseract.

``OMP_THREAD_LIMIT=1`` is set before either is loaded: Tesseract's OpenMP threads would
otherwise fight the process pool's workers for the cores.
"""

from __future__ import annotations

import os

os.environ["OMP_THREAD_LIMIT"] = "1"

import shutil
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from PIL import Image

from ocr.errors import OcrUnavailable
from ocr.geometry import Box

LANGUAGES: Final = "swe+eng"
TIMEOUT_SECONDS: Final = 60
_VARIABLES: Final = {
    # Tesseract 5 re-reads low-confidence lines as white-on-black; receipts have none,
    # and the retry cost up to a fifth of the time on noisy scans.
    "tessedit_do_invert": "0",
}
_TESSDATA_CANDIDATES: Final = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


@dataclass(frozen=True, slots=True)
class Word:
    """A word as Tesseract read it, in the coordinates of the image it was given."""

    text: str
    box: Box
    confidence: float
    """0..1 (Tesseract's 0..100 divided by 100)."""
    block: int
    line: int


def read_words(image: npt.NDArray[np.uint8], *, psm: int, languages: str = LANGUAGES) -> list[Word]:
    """All non-empty words of one Tesseract pass with page segmentation mode ``psm``."""
    engine = _tesserocr_engine(languages)
    tsv = engine.read(image, psm) if engine is not None else _pytesseract_tsv(image, psm, languages)
    return parse_tsv(tsv)


def sideways(image: npt.NDArray[np.uint8]) -> bool | None:
    """Whether Tesseract's orientation detection (OSD) finds the text turned a quarter, or None when it cannot tell.

    Costs 0.1-0.5 s, so it settles only the receipts the row/column profiles leave in doubt.
    The OSD model is loaded for the call and freed after it: kept loaded it held 32 MB in every
    OCR process, which must stay under 400 MB at its peak (PP-OCR's detection, which comes later
    and returns freed memory to the system first).
    """
    path = tessdata_path()
    if path is None or not (Path(path) / "osd.traineddata").is_file():
        return None
    try:
        import tesserocr  # type: ignore[import-untyped]
    except ImportError:
        degrees = _pytesseract_orientation(image)
    else:
        api = tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
        try:
            api.SetImage(Image.fromarray(image))
            found = api.DetectOrientationScript()
        finally:
            api.End()
        degrees = int(found["orient_deg"]) if found else None
    return None if degrees is None else degrees in (90, 270)


def _pytesseract_orientation(image: npt.NDArray[np.uint8]) -> int | None:
    import pytesseract

    try:
        found = pytesseract.image_to_osd(Image.fromarray(image), output_type=pytesseract.Output.DICT, timeout=10)
    except (pytesseract.TesseractError, RuntimeError, OSError):
        return None  # too little text to tell, or OSD not installed
    return int(found["orientation"])


def warm_up(*languages: str) -> None:
    """Load the models now (in a new worker) rather than on the first receipt."""
    for name in languages or (LANGUAGES,):
        _tesserocr_engine(name)


def parse_tsv(tsv: str) -> list[Word]:
    """Words from Tesseract's TSV output (level 5 rows), with or without its header line."""
    words: list[Word] = []
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = "\t".join(cols[11:]).strip()
        if not text:
            continue
        try:
            block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        words.append(
            Word(
                text=text,
                box=Box(left, top, width, height),
                confidence=max(0.0, min(1.0, conf / 100.0)),
                block=block * 1000 + par,
                line=line,
            )
        )
    return words


def tessdata_path() -> str | None:
    """Where the system's traineddata files are (``TESSDATA_PREFIX`` wins)."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env and Path(env).is_dir():
        return env
    for candidate in _TESSDATA_CANDIDATES:
        if (Path(candidate) / "eng.traineddata").is_file():
            return candidate
    return None


class _TesserocrEngine:
    """One initialised Tesseract API (models loaded once), guarded for thread use."""

    def __init__(self, api: Any) -> None:
        self._api = api
        self._lock = threading.Lock()

    def read(self, image: npt.NDArray[np.uint8], psm: int) -> str:
        with self._lock:
            self._api.SetPageSegMode(psm)
            self._api.SetImage(Image.fromarray(image))
            if not self._api.Recognize(TIMEOUT_SECONDS * 1000):
                raise OcrUnavailable("Tesseract gave up on the image (time limit).")
            tsv: str = self._api.GetTSVText(0)
            self._api.Clear()
            return tsv


@cache
def _tesserocr_engine(languages: str) -> _TesserocrEngine | None:
    try:
        import tesserocr
    except ImportError:
        return None
    path = tessdata_path()
    try:
        api = tesserocr.PyTessBaseAPI(path=path or "", lang=languages, oem=tesserocr.OEM.LSTM_ONLY)
    except RuntimeError as exc:
        raise OcrUnavailable(f"Tesseract could not load {languages}: {exc}") from exc
    for name, value in _VARIABLES.items():
        api.SetVariable(name, value)
    return _TesserocrEngine(api)


def _pytesseract_tsv(image: npt.NDArray[np.uint8], psm: int, languages: str) -> str:
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailable("Neither tesserocr nor the tesseract program is installed.")
    variables = " ".join(f"-c {k}={v}" for k, v in _VARIABLES.items())
    try:
        tsv: str = pytesseract.image_to_data(
            Image.fromarray(image), lang=languages, config=f"--oem 1 --psm {psm} {variables}", timeout=TIMEOUT_SECONDS
        )
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        raise OcrUnavailable(f"Tesseract failed: {exc}") from exc
    return tsv
