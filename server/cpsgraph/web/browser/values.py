"""Literals as a reader says them, in the page's language (Babel's CLDR data): "18 de octubre de 2007" for
an xsd:date, "19 oct 2007, 11:30" for an xsd:dateTime, "sí"/"no" for a boolean, "1.234" for an integer. A
literal whose lexical form is not valid for its datatype is shown as written, never dropped.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

from .catalogue import text

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + name for name in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                                    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}
DECIMALS = {XSD + "decimal", XSD + "double", XSD + "float"}


def say(value: str, datatype: str | None, lang: str) -> str:
    """The literal `value` of `datatype` (an IRI, or None for a plain string) as text for a reader of `lang`."""
    try:
        if datatype == XSD + "date":
            return format_date(datetime.date.fromisoformat(value), format="long", locale=lang)
        if datatype == XSD + "dateTime":
            moment = datetime.datetime.fromisoformat(value)   # a day, then its hour: "19 oct 2007, 11:30"
            return f"{format_date(moment, 'medium', locale=lang)}, {format_skeleton('Hm', moment, locale=lang)}"
        if datatype == XSD + "time":
            return format_time(datetime.time.fromisoformat(value), format="short", locale=lang)
        if datatype == XSD + "gYearMonth":
            year, month = value.split("-")[:2]
            return format_skeleton("yMMMM", datetime.date(int(year), int(month), 1), locale=lang)
        if datatype == XSD + "boolean":
            return text("value.true" if value.strip() in ("true", "1") else "value.false", lang)
        if datatype in INTEGERS:
            return format_decimal(int(value), locale=lang)
        if datatype in DECIMALS:
            return format_decimal(Decimal(value), locale=lang)
    except (ValueError, InvalidOperation):
        return value
    return value


def sort_key(value: str, datatype: str | None) -> tuple:
    """Dates and times in time order, numbers in number order, then text A-Z."""
    if datatype in (XSD + "date", XSD + "dateTime", XSD + "gYear", XSD + "gYearMonth"):
        return (0, value, "")
    if datatype in INTEGERS | DECIMALS:
        try:
            return (1, float(value), "")
        except ValueError:
            pass
    return (2, 0, value.casefold())
