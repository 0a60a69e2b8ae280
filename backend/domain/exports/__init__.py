"""Exports from the payroll office: PAXml 2.0 to the payroll system, SIE 4 to bookkeeping.

Pure rules and formats (no database, no web): ``model`` holds the plain values an approved
item is turned into; the builders turn an item's facts into payroll transactions and
bookkeeping vouchers; the renderers stream those as files.
"""
