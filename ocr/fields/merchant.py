"""The merchant: the shop's name printed at the top.

Among the first rows, a row scores for being near the top, in a larger font, centred,
read with high confidence, and for ending in a legal form (AB, SDN BHD, GmbH, Ltd...);
it is ruled out if it is an address, phone, organisation or VAT number, date, receipt
heading or greeting. No list of shop names: the receipt says who it is.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ocr.geometry import Box
from ocr.layout import Line
from ocr.text import find_keyword, fold

TOP_ROWS = 10
LEGAL_FORMS = (
    "ab",
    "hb",
    "kb",
    "ab (publ)",
    "sdn bhd",
    "sdn. bhd",
    "sdn. bhd.",
    "s/b",
    "bhd",
    "berhad",
    "ltd",
    "limited",
    "plc",
    "llc",
    "inc",
    "gmbh",
    "ag",
    "kg",
    "oy",
    "oyj",
    "as",
    "asa",
    "a/s",
    "aps",
    "bv",
    "nv",
    "sia",
    "uab",
    "ou",
    "ky",
    "oy ab",
    "tmi",
    "kg",
    "ohg",
    "e.k.",
    "gmbh & co. kg",
    "sp. z o.o.",
    "sp z o o",
    "sp. z o. o.",
    "s.r.o.",
    "sp.j.",
    "s.l.",
    "llp",
    "i/s",
    "k/s",
    "sarl",
    "sas",
    "srl",
    "spa",
    "s.a.",
    "co",
    "co.",
    "company",
    "enterprise",
    "trading",
    "restaurant",
    "restoran",
    "restaurang",
    "hotel",
    "hotell",
    "cafe",
    "kafe",
    "store",
    "shop",
    "mart",
    "supermarket",
    "bakery",
    "hardware",
    "stationery",
    "veikals",
    "parduotuve",
    "kauplus",
    "kauppa",
    "ravintola",
    "baars",
    "kafejnica",
    "kavine",
    "restoranas",
    "restoran",
    "gasthaus",
    "backerei",
    "apotheke",
    "aptieka",
    "vaistine",
    "apteek",
    "apteekki",
    "apotek",
)
NOT_MERCHANT = (
    "kvitto",
    "receipt",
    "kassakvitto",
    "invoice",
    "tax invoice",
    "faktura",
    "bill",
    "cash bill",
    "kassa",
    "cashier",
    "kassor",
    "valkommen",
    "welcome",
    "tack",
    "thank",
    "thanks",
    "org nr",
    "orgnr",
    "org.nr",
    "momsreg",
    "vat",
    "gst",
    "reg no",
    "reg. no",
    "co. no",
    "co no",
    "company no",
    "business no",
    "tel",
    "tfn",
    "telefon",
    "phone",
    "fax",
    "hp",
    "www",
    "http",
    "e-mail",
    "email",
    "datum",
    "date",
    "tid",
    "time",
    "kopia",
    "copy",
    "original",
    "terminal",
    "butik nr",
    "store no",
    "table",
    "bord",
    "order",
    "ordernr",
    "no.",
    "nr",
    "member",
    "simplified",
    "customer",
    "kund",
    "doc no",
    "document",
    "salesperson",
    "server",
    "pos",
    "cash",
    "kontant",
    "card",
    "kort",
    "gst id",
    "gst reg",
    "sst id",
    "tax id",
    "sale",
    "sales",
    "tax",
    "description",
    "qty",
    "item",
    # receipt headings, greetings, registration and contact words in lv, lt, et, fi, de, no, da, pl
    "ceks",
    "kvits",
    "kases ceks",
    "cekis",
    "kvitas",
    "kasos kvitas",
    "tsekk",
    "arve",
    "kuitti",
    "kassenbon",
    "kassenbeleg",
    "beleg",
    "rechnung",
    "quittung",
    "kvittering",
    "paragon",
    "paragon fiskalny",
    "laipni ludzam",
    "paldies",
    "sveiki",
    "aciu",
    "tere tulemast",
    "aitah",
    "tervetuloa",
    "kiitos",
    "willkommen",
    "herzlich willkommen",
    "danke",
    "velkommen",
    "takk",
    "witamy",
    "dziekujemy",
    "have a nice day",
    "see you",
    "pvn",
    "pvm",
    "reg",
    "reg nr",
    "reg. nr",
    "registracijas",
    "kmkr",
    "reg.kood",
    "registrikood",
    "y-tunnus",
    "alv",
    "ust",
    "ust-idnr",
    "steuernummer",
    "st.-nr",
    "mwst",
    "nip",
    "regon",
    "krs",
    "cvr",
    "mva",
    "foretaksregisteret",
    "talr",
    "tālr",
    "tel.",
    "tlf",
    "puh",
    "mob",
    "e-pasts",
    "e-post",
    "epost",
    # opening hours
    "oppet",
    "oppettider",
    "opening hours",
    "open daily",
    "tak for",
    "darba laiks",
    "darbo laikas",
    "avatud",
    "aukioloajat",
    "avoinna",
    "offnungszeiten",
    "geoffnet",
    "apningstider",
    "abningstider",
    "godziny otwarcia",
    "mon-fri",
    "man-fre",
    "mo-fr",
    "ma-pe",
    "p-pk",
    "e-r",
    "pn-pt",
)
ADDRESS_WORDS = (
    "gatan",
    "gata",
    "vagen",
    "vag",
    "torget",
    "torg",
    "plan",
    "allen",
    "gränd",
    "grand",
    "backe",
    "road",
    "rd",
    "street",
    "st",
    "avenue",
    "ave",
    "jalan",
    "jln",
    "lorong",
    "taman",
    "lot",
    "blok",
    "block",
    "floor",
    "tingkat",
    "strasse",
    "str",
    "platz",
    "weg",
    "gate",
    "vei",
    "vej",
    "box",
    "industrial",
    "park",
    "kawasan",
    "persiaran",
    "lebuh",
    "kampung",
    "no",
    "unit",
    "level",
    "suite",
    "bandar",
    "seksyen",
    "section",
    "centre",
    "center",
    "plaza",
    "mall",
    "complex",
    "kompleks",
    # street words in lv, lt, et, fi, de, no, da, pl, en
    "iela",
    "gatve",
    "bulvaris",
    "prospekts",
    "laukums",
    "soseja",
    "gatve",
    "prospektas",
    "pr",
    "pl",
    "al",
    "g",
    "tanav",
    "tn",
    "mnt",
    "maantee",
    "pst",
    "puiestee",
    "valjak",
    "katu",
    "tie",
    "kuja",
    "tori",
    "strasse",
    "straße",
    "allee",
    "gasse",
    "ring",
    "damm",
    "veien",
    "vei",
    "gata",
    "plass",
    "gade",
    "alle",
    "plads",
    "torv",
    "ul",
    "ulica",
    "aleja",
    "plac",
    "os",
    "lane",
    "drive",
    "way",
    "high street",
)
_POSTCODE = re.compile(
    r"(?<!\d)(\d{3}\s?\d{2}|\d{4,5})\s+[A-ZÅÄÖa-zåäö]"
    r"|(?<![A-Za-z0-9])(?:LV|LT|EE|FI|D|DE|A|AT|CH|S|SE|N|NO|DK|PL)[- ]\d{3,5}(?!\d)"
    r"|(?<![\d-])\d{2}-\d{3}\s+[^\W\d_]{3,}"
)
_STREET_ALONE = re.compile(
    r"(?<![a-z])(iela|gatve|bulvaris|prospekts|prospektas|tanav|maantee|puiestee|strasse|ulica|aleja)(?![a-z])"
    r"|(?<![a-z])(ul|al|pr|str|tn|mnt|pst)\.\s?[a-z]|[a-z]{3,}str\.(?!\w)"
)
"""Street words that make an address even without a house number ("Brīvības iela", "Hauptstr.").

Swedish and Finnish street names ("Ringvägen") are also shop names ("Circle K Ringvägen"):
those count as an address only with a number (``ADDRESS_WORDS``, ``_STREET_ENDINGS``)."""
_URL = re.compile(r"www\.|https?:|@|\.(?:lv|lt|ee|fi|de|se|no|dk|pl|com|eu|net|org)\b")
_HOURS = re.compile(r"(?<!\d)\d{1,2}[:.]?\d{0,2}\s?[-–]\s?\d{1,2}[:.]\d{2}(?!\d)|(?<!\d)\d{1,2}\s?[-–]\s?\d{1,2}(?!\d)")
_DIGITS = re.compile(r"\d")
_REGISTRATION = re.compile(r"[({\[]\s*[\w\s.:#/-]*\d[\w\s.:#/-]*(?:[)}\]]|$)\s*$")
_DOLLAR_S = re.compile(r"\$(?=/B\b|DN\b)")
""""$/B", "$DN BHD": an S read as a dollar sign inside a legal form."""
_AFTER_LEGAL_FORM = re.compile(
    r"(?<![^\W\d_])(?:S/B|SDN\.? ?BHD\.?|BHD\.?|BERHAD|LTD\.?|LIMITED|GMBH|AB)(?=\s+\S*\d)", re.IGNORECASE
)
"""A legal form followed by a number: "CONFECTIONERY S/B 273500-U (GKJ)", the name ends at the form."""


@dataclass(frozen=True, slots=True)
class MerchantGuess:
    name: str
    confidence: float
    boxes: tuple[Box, ...]


_MISREAD_FORM = re.compile(r"(?<![\w.])(?=\w*\d)(?=\w*[A-Za-z])\w{2,4}(?![\w])")
"""A short word mixing letters and digits: perhaps a legal form with a letter read as a digit ("SDN 3HD")."""
_LETTER_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "3": "B", "5": "S", "6": "G", "8": "B"})
_FORM_WORDS = frozenset(
    {"ab", "as", "oy", "sdn", "bhd", "ltd", "gmbh", "sia", "uab", "aps", "asa", "oyj", "inc", "llc"}
)


def _legal_form_letters(match: re.Match[str]) -> str:
    """The word with digits read as the letters they resemble, when that makes a legal form."""
    word = match.group()
    letters = word.translate(_LETTER_LOOKALIKES)
    return letters if letters.lower() in _FORM_WORDS else word


def clean_name(text: str) -> str:
    """Strip registration numbers "(139386 X)", stray punctuation and doubled spaces."""
    text = _DOLLAR_S.sub("S", text)
    text = _MISREAD_FORM.sub(_legal_form_letters, text)
    legal_end = _AFTER_LEGAL_FORM.search(text)
    if legal_end is not None:
        text = text[: legal_end.end()]
    name = _REGISTRATION.sub("", text).strip()
    name = re.sub(r"\s+", " ", name)
    name = name.strip(" -_*=.:;,|'\"~`")
    if name and text.rstrip().endswith(".") and "." in name.split()[-1]:
        name += "."  # "S.A.", "Sp. z o.o.": the last dot belongs to the abbreviation
    if name.count('"') % 2:
        # SIA "RIMI LATVIA" lost its closing quote to the strip above: put it back, or drop a stray one.
        name = f'{name}"' if text.rstrip().endswith('"') else name.replace('"', "")
    if name.count("(") > name.count(")"):
        head, tail = name.rsplit("(", 1)
        # "THE STORE (MALAYSIA SDN BHD": a bracket lost, the legal form kept
        legal = find_keyword(fold(tail), LEGAL_FORMS, fuzzy=False) is not None
        name = f"{head}{tail}" if legal else head.strip()
    return name


def find_merchant(lines: Sequence[Line]) -> MerchantGuess | None:
    """The most merchant-like of the top rows, or None."""
    top: list[Line] = []
    for line in lines[:TOP_ROWS]:
        if top and _ends_header(line):
            break
        top.append(line)
    if not top:
        return None
    heights = [line.height for line in lines if sum(c.isalpha() for c in line.text) >= 3] or [1.0]
    median_height = statistics.median(heights)
    page_left = min(line.box.left for line in lines)
    page_right = max(line.box.right for line in lines)
    best: tuple[float, int] | None = None
    for position, line in enumerate(top):
        score = _score(line, clean_name(line.text), median_height, page_left, page_right)
        if score is None:
            continue
        score -= 0.45 * position
        if best is None or score > best[0]:
            best = (score, position)
    if best is None:
        return None
    score, position = best
    used = [top[position]]
    name = clean_name(top[position].text)
    following = top[position].index + 1
    if following < len(lines) and _continues(name, clean_name(lines[following].text)):
        used.append(lines[following])
        name = clean_name(f"{name} {lines[following].text}")
    elif position > 0 and _only_legal_form(name):
        previous = top[position - 1]
        if _score(previous, clean_name(previous.text), median_height, page_left, page_right) is not None:
            used.insert(0, previous)
            name = clean_name(f"{previous.text} {name}")
    confidence = max(0.1, min(1.0, 0.35 + 0.12 * score)) * (0.5 + 0.5 * min(u.confidence for u in used))
    if _has_legal_form(name) is False and any(
        _has_legal_form(clean_name(line.text)) and line not in used for line in top
    ):
        confidence *= 0.85  # a trading name chosen while a legal name is printed too: either may be meant
    if _RUN_TOGETHER.search(name):
        confidence *= 0.8  # "GuardianGiantBremMaLI": words run together, the reading is doubtful
    if _ODD_CHARACTER.search(name):
        confidence *= 0.85  # "WR. O.1.¥. (M) SDN BHD": a sign no shop name holds, a misreading nearby
    return MerchantGuess(name, round(confidence, 3), tuple(w.box for u in used for w in u.words))


_ODD_CHARACTER = re.compile(r"[^\w\s&.,'’\-()/\"+!:;@*#„“”«»]")
"""A character that is neither a letter, a digit nor punctuation shop names use ("¥", "§", "©")."""
_RUN_TOGETHER = re.compile(r"[a-z][A-Z][a-z]+[A-Z]")
"""Two or more capitals inside one lower-case word: words read without their spaces."""


def _has_legal_form(name: str) -> bool:
    hit = find_keyword(fold(name), LEGAL_FORMS, fuzzy=False)
    return hit is not None and hit.keyword in _STRONG_LEGAL


_CONTINUED_BY = ("&", "-", "and", "of", ",", "och", "+")
_LEGAL_ONLY = re.compile(r"^\(?(sdn\.? ?bhd\.?|bhd\.?|s/b|ab|ltd\.?|limited|gmbh|inc\.?|llc|plc|oy|as|a/s|aps)\)?$")


def _continues(name: str, following: str) -> bool:
    """The name runs on to the next row ("HOME MASTER HARDWARE &" / "ELECTRICAL")."""
    folded_next = fold(following)
    if _LEGAL_ONLY.match(folded_next):
        return True
    if _ends_in_legal_form(folded_next) and not _ends_in_legal_form(fold(name)):
        # "THE STORE" / "(MALAYSIA) SDN BHD", "EIGHT OUNCE" / "COFFEE CO.": the legal name's second row
        return not _DIGITS.search(following) and not _looks_like_address(following, folded_next)
    if not fold(name).endswith(_CONTINUED_BY):
        return False
    letters = sum(c.isalpha() for c in following)
    return letters >= 3 and not _DIGITS.search(following) and not _looks_like_address(following, folded_next)


_LEGAL_END = re.compile(
    r"(?<![a-z])(sdn\.? ?bhd\.?|bhd\.?|s/b|ab|ltd\.?|limited|gmbh|inc\.?|llc|plc|oyj?|as|asa|a/s|aps|co\.|sia|uab|ou)\s*$"
)


def _ends_in_legal_form(folded: str) -> bool:
    return _LEGAL_END.search(folded.strip(" .,")) is not None or _LEGAL_END.search(folded.strip()) is not None


def _only_legal_form(name: str) -> bool:
    """ "CO. (M) SDN BHD": the second row of a name whose first row is above it."""
    rest = re.sub(r"\([^)]*\)", " ", fold(name))
    for word in sorted(LEGAL_FORMS, key=len, reverse=True):
        rest = re.sub(rf"(?<![a-z]){re.escape(word)}(?![a-z])", " ", rest)
    return sum(c.isalpha() for c in rest) < 3


def _ends_header(line: Line) -> bool:
    """Rows after which the merchant's name is no longer expected: dates, prices, headings.

    A heading in the first two rows ("TAX INVOICE" above the name) does not end the search.
    """
    from ocr.fields.amounts import find_amounts
    from ocr.fields.dates import _DMY, _YMD

    folded = fold(line.text)
    if _DMY.search(folded) or _YMD.search(folded):
        return True
    if any(a.decimals for a in find_amounts(line)):
        return True
    return (
        line.index >= 2
        and find_keyword(folded, ("kvitto", "receipt", "invoice", "faktura", "cash bill", "bill no"), fuzzy=False)
        is not None
    )


def _score(line: Line, name: str, median_height: float, page_left: int, page_right: int) -> float | None:
    letters = sum(c.isalpha() for c in name)
    visible = sum(not c.isspace() for c in name)
    if letters < 3 or len(name) < 3 or letters < 0.5 * visible or line.confidence < 0.5:
        return None
    if not re.search(r"[^\W\d_]{3,}", name) and not re.search(r"[^\W\d_]{2,}\s+(ab|as|oy|ag|co)\b", fold(name)):
        return None
    folded = fold(name)
    digits = len(_DIGITS.findall(name))
    if digits > letters:
        return None
    legal = find_keyword(folded, LEGAL_FORMS, fuzzy=False)
    if find_keyword(folded, NOT_MERCHANT, fuzzy=False) and legal is None:
        return None
    if _URL.search(folded) or (_HOURS.search(folded) and legal is None):
        return None
    if name.endswith("!") and legal is None:
        return None  # a slogan or greeting in any language ("Labākās cenas!", "Tere tulemast!")
    if _looks_like_address(name, folded) and legal is None:
        return None
    score = 2.0
    if legal is not None:
        score += 2.5 if legal.keyword in _STRONG_LEGAL else 1.0
    ratio = line.height / median_height if median_height else 1.0
    score += max(-1.0, min(1.5, 2.0 * (ratio - 1.0)))
    score += 2.0 * (line.confidence - 0.75)
    width = page_right - page_left
    if width > 0:
        centre = (line.box.left + line.box.right) / 2
        offset = abs(centre - (page_left + page_right) / 2) / width
        score += 0.5 if offset < 0.12 else 0.0
    score -= 0.3 * digits
    lower = sum(c.islower() for c in name)
    if lower == letters:
        score -= 2.0  # a handwritten note ("tan woon yann") rather than print
    if letters < 4:
        score -= 1.0
    return score


_STRONG_LEGAL = frozenset(
    {
        "ab",
        "sdn bhd",
        "sdn. bhd",
        "sdn. bhd.",
        "bhd",
        "berhad",
        "s/b",
        "ltd",
        "limited",
        "gmbh",
        "oy",
        "as",
        "a/s",
        "aps",
        "inc",
        "llc",
        "plc",
        "sia",
        "uab",
        "ou",
        "oyj",
        "asa",
        "ag",
        "kg",
        "sp. z o.o.",
        "sp z o o",
        "sp. z o. o.",
        "s.r.o.",
        "llp",
    }
)


def _looks_like_address(name: str, folded: str) -> bool:
    if _POSTCODE.search(name) or _STREET_ALONE.search(folded):
        return True
    words = re.findall(r"[a-z]+", folded)
    return bool(re.search(r"\d", name)) and any(w in ADDRESS_WORDS or w.endswith(_STREET_ENDINGS) for w in words)


_STREET_ENDINGS = (
    "gatan",
    "vagen",
    "gata",
    "gasse",
    "strasse",
    "weg",
    "veien",
    "vej",
    "gade",
    "katu",
    "tie",
    "kuja",
    "allee",
    "platz",
    "gatve",
    "iela",
)
