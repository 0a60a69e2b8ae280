"""A suggested expense category from words on the receipt.

Words in the merchant's name count three times as much as words elsewhere. The words
are general ones (Swedish, English, a little Malay and German), not shop names; a
receipt that matches nothing well is "other". Groceries are "other": whether food
from a shop was a meal or representation is for the employee to say.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ocr.model import Category
from ocr.text import fold

KEYWORDS: dict[Category, tuple[str, ...]] = {
    "taxi": (
        "taxi",
        "taxa",
        "cab",
        "uber",
        "bolt",
        "taxameter",
        "korstracka",
        "framkorning",
        "grab",
        "limousine",
        "droskbil",
        "chauffor",
    ),
    "hotel": (
        "hotel",
        "hotell",
        "hostel",
        "motel",
        "vandrarhem",
        "logi",
        "overnattning",
        "ankomst",
        "avresa",
        "check-in",
        "check-out",
        "room",
        "rum",
        "nights",
        "natter",
        "lodging",
        "accommodation",
        "inn",
        "resort",
        "b&b",
        "minibar",
        "frukost ingar",
        "guest",
        "gast",
        "pensionat",
    ),
    "fuel": (
        "bensin",
        "diesel",
        "drivmedel",
        "blyfri",
        "e85",
        "hvo",
        "hvo100",
        "fuel",
        "petrol",
        "gasoline",
        "unleaded",
        "pump",
        "liter",
        "litre",
        "tankning",
        "laddning",
        "charging",
        "kwh",
        "ron95",
        "ron97",
        "petronas",
        "bhpetrol",
        "spolarvatska",
        "adblue",
    ),
    "parking": (
        "parkering",
        "parking",
        "p-hus",
        "p-avgift",
        "parkeringsavgift",
        "parkeringsbolag",
        "car park",
        "carpark",
        "garage",
        "p-plats",
        "zon",
        "parkeringstid",
        "parkeringsautomat",
    ),
    "train_flight": (
        "tag",
        "train",
        "jarnvag",
        "railway",
        "biljett",
        "ticket",
        "enkelresa",
        "returresa",
        "flyg",
        "flight",
        "boarding",
        "airline",
        "airways",
        "gate",
        "seat",
        "plats",
        "vagn",
        "avgang",
        "pendeltag",
        "regionaltag",
        "arlanda express",
        "bagage",
        "baggage",
        "resa",
    ),
    "meal": (
        "restaurang",
        "restaurant",
        "restoran",
        "bistro",
        "cafe",
        "kafe",
        "konditori",
        "lunch",
        "middag",
        "dinner",
        "frukost",
        "breakfast",
        "pizza",
        "pizzeria",
        "sushi",
        "burger",
        "grill",
        "bar",
        "pub",
        "krog",
        "kok",
        "dagens",
        "food",
        "noodle",
        "kopitiam",
        "bakery",
        "coffee",
        "espresso",
        "latte",
        "cappuccino",
        "mat",
        "meny",
        "dryck",
        "ol",
        "vin",
        "dricks",
        "servering",
        "tapas",
        "kebab",
        "deli",
    ),
    "representation": ("representation", "repr", "kundmote", "affarsmiddag", "kundlunch", "entertainment"),
    "wellness": (
        "gym",
        "friskvard",
        "massage",
        "traning",
        "yoga",
        "simhall",
        "padel",
        "fitness",
        "gymkort",
        "arskort",
        "traningskort",
        "spa",
        "badminton",
        "tennis",
        "klattring",
        "pilates",
        "crossfit",
    ),
    "office_supplies": (
        "kontorsmaterial",
        "kontor",
        "office",
        "papper",
        "paper",
        "pennor",
        "penna",
        "pen",
        "toner",
        "blackpatron",
        "skrivare",
        "printer",
        "stationery",
        "bokhandel",
        "bookstore",
        "books",
        "parm",
        "haftapparat",
        "gem",
        "kuvert",
        "envelope",
        "usb",
        "kabel",
        "cable",
        "tape",
        "glue",
        "notebook",
        "anteckningsbok",
        "marker",
        "a4",
        "binder",
        "stapler",
    ),
}
_WEIGHT_MERCHANT = 3.0
_THRESHOLD = 1.0


@dataclass(frozen=True, slots=True)
class CategoryGuess:
    category: Category
    confidence: float


def _count(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z])", text))


def suggest_category(merchant: str | None, lines: Sequence[str]) -> CategoryGuess:
    """The category with the most keyword weight, or "other" with low confidence."""
    name = fold(merchant or "")
    body = fold("\n".join(lines))
    name_words = set(re.findall(r"[a-z0-9&-]+", name))
    scores: dict[Category, float] = {}
    for category, words in KEYWORDS.items():
        score = 0.0
        for word in words:
            in_name = _count(name, word) or any(w.endswith(word) and len(word) >= 3 for w in name_words)
            score += _WEIGHT_MERCHANT if in_name else 0.0
            score += min(_count(body, word), 3)
        scores[category] = score
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, score = ranked[0]
    runner_up = ranked[1][1]
    if score < _THRESHOLD:
        return CategoryGuess("other", 0.3)
    confidence = min(0.95, 0.4 + 0.08 * score) * (1.0 if score >= 2 * runner_up else 0.75)
    return CategoryGuess(best, round(confidence, 3))
