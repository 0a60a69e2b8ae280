"""Every code the export writes is a PAXml 2.0 standard code, read from the real schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from backend.domain.exports import codes
from backend.domain.exports.model import Section
from backend.domain.payslip.inputs import TimeCode
from backend.domain.rates import VehicleKind
from tests.unit.domain.exports.builders import paxml_xsd

XS = "{http://www.w3.org/2001/XMLSchema}"


def enumeration(type_name: str) -> set[str]:
    root = ET.parse(paxml_xsd()).getroot()  # the file declares ISO-8859-1: ÖT1 and UTLÄGG read right
    (simple,) = [t for t in root.iter(f"{XS}simpleType") if t.get("name") == type_name]
    return {e.attrib["value"] for e in simple.iter(f"{XS}enumeration")}


def test_every_hour_code_is_a_tidkod_of_the_schema() -> None:
    hour_codes = {c.code for c in codes.ALL_CODES.values() if c.section is Section.TIME}
    assert hour_codes <= enumeration("tidkodTYPE")
    assert {
        "ARB",
        "ÖT1",
        "ÖT2",
        "MER",
        "OB1",
        "OB2",
        "OB3",
        "OB4",
        "SJK",
        "SJK_KAR",
        "SEM",
        "VAB",
        "FPE",
        "TJL",
    } == hour_codes


def test_every_amount_code_is_a_lonkod_of_the_schema_except_the_wellness_allowance_which_has_none() -> None:
    lonkoder = enumeration("lonekodTYPE")
    pay = [c for c in codes.ALL_CODES.values() if c.section is Section.PAY]
    assert {c.code for c in pay if c.in_paxml} <= lonkoder
    assert [c.code for c in pay if not c.in_paxml] == ["FRISKVÅRD"]
    assert not any(code.startswith("FRISK") for code in lonkoder)


def test_every_time_code_of_the_product_has_a_standard_code() -> None:
    assert set(codes.TIME_CODES) == set(TimeCode)
    assert codes.TIME_CODES[TimeCode.WORK].code == "ARB"
    assert codes.TIME_CODES[TimeCode.OB_MAJOR_HOLIDAY].code == "OB4"


def test_mileage_codes_follow_the_vehicle_and_an_electric_company_car_has_its_own_tax_free_code() -> None:
    assert set(codes.MILEAGE_CODES) == set(VehicleKind)
    assert [c.code for c in codes.MILEAGE_CODES[VehicleKind.COMPANY_CAR_ELECTRIC]] == ["MILEL_FRI", "MILFTG_SKT"]
    assert [c.code for c in codes.MILEAGE_CODES[VehicleKind.OWN_CAR]] == ["MILPRI_FRI", "MILPRI_SKT"]


def test_every_code_has_a_swedish_and_an_english_name() -> None:
    for code in codes.ALL_CODES.values():
        assert code.name("sv")
        assert code.name("en")
        assert code.name("sv") != code.code
