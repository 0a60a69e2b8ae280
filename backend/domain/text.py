"""A text for a person, in Swedish and in English: the one bilingual type.

The fields are named and keyword-only (``Text(sv=..., en=...)``), so the languages cannot be
swapped by position, and neither may be empty: a text without both is refused where it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["sv", "en"]
DEFAULT_LANGUAGE: Language = "sv"


@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    """A message in both languages; the reader's language picks one (``text(language)``)."""

    sv: str
    en: str

    def __post_init__(self) -> None:
        if not self.sv.strip() or not self.en.strip():
            raise ValueError(f"a text needs both Swedish and English: sv={self.sv!r}, en={self.en!r}")

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.sv

    def says(self, words: str) -> bool:
        """Whether ``words`` are this text in either language (e.g. a title not rewritten by hand)."""
        return words in (self.sv, self.en)
