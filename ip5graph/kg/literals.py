"""Ill-typed literals: a lexical form its XSD datatype does not allow ("1.5"^^xsd:integer).

Why here, in our words and not rdflib's: rdflib logs a traceback for each one it meets and keeps
going, and Oxigraph stores them silently; so `validate` finds them itself, reports each as a data
error at file:line:column, and the rdflib engine stays quiet about them.
"""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{4,}|\d{4})"
_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DOUBLE = re.compile(r"(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)")
_DATE = re.compile(rf"({_YEAR})-(\d\d)-(\d\d){_TZ}")
_DATETIME = re.compile(rf"({_YEAR})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?{_TZ}")
_GYEAR = re.compile(rf"{_YEAR}{_TZ}")
_GYEARMONTH = re.compile(rf"{_YEAR}-(0[1-9]|1[0-2]){_TZ}")
_BOOLEAN = re.compile(r"true|false|1|0")
_SIGN = {
    "nonNegativeInteger": lambda n: n >= 0,
    "positiveInteger": lambda n: n > 0,
    "nonPositiveInteger": lambda n: n <= 0,
    "negativeInteger": lambda n: n < 0,
    "integer": lambda n: True,
    "long": lambda n: -(2**63) <= n < 2**63,
    "int": lambda n: -(2**31) <= n < 2**31,
    "short": lambda n: -(2**15) <= n < 2**15,
    "byte": lambda n: -128 <= n < 128,
    "unsignedLong": lambda n: 0 <= n < 2**64,
    "unsignedInt": lambda n: 0 <= n < 2**32,
    "unsignedShort": lambda n: 0 <= n < 2**16,
    "unsignedByte": lambda n: 0 <= n < 256,
}


def _calendar(year: str, month: str, day: str) -> bool:
    y, m, d = int(year), int(month), int(day)
    if not 1 <= m <= 12:
        return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return 1 <= d <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]


def well_typed(lexical: str, datatype: str) -> bool:
    """Whether the lexical form is allowed by the datatype (types we do not know pass)."""
    if not datatype.startswith(XSD):
        return True
    name = datatype[len(XSD) :]
    value = lexical.strip(" \t\r\n")
    if name in _SIGN:
        return bool(_INT.fullmatch(value)) and _SIGN[name](int(value))
    if name == "decimal":
        return bool(_DECIMAL.fullmatch(value))
    if name in ("double", "float"):
        return bool(_DOUBLE.fullmatch(value))
    if name == "boolean":
        return bool(_BOOLEAN.fullmatch(value))
    if name == "date":
        m = _DATE.fullmatch(value)
        return m is not None and _calendar(*m.groups())
    if name == "dateTime":
        m = _DATETIME.fullmatch(value)
        if not m:
            return False
        hour, minute, second = (int(g) for g in m.groups()[3:6])
        end_of_day = (hour, minute, second) == (24, 0, 0)
        return _calendar(*m.groups()[:3]) and (end_of_day or (hour < 24 and minute < 60 and second < 60))
    if name == "gYear":
        return bool(_GYEAR.fullmatch(value))
    if name == "gYearMonth":
        return bool(_GYEARMONTH.fullmatch(value))
    return True


def position_of(text: str, lexical: str) -> tuple[int, int]:
    """Line and column (from 1) of the first `"lexical"^^` in a Turtle text; (1, 1) if not found."""
    for quote in ('"', "'"):
        at = text.find(f"{quote}{lexical}{quote}^^")
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            return line, at - (text.rfind("\n", 0, at) + 1) + 1
    return 1, 1
