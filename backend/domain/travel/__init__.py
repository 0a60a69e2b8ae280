"""Travel rules: per diem (traktamente), normalbelopp abroad and mileage."""
