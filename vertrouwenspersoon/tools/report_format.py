"""Numbers, amounts and dates of the annual report in the report's language (no ORM).

The report is read by a board in the organisation's language, whatever the reader's own
settings: a Dutch report writes 1.234,5 and € 1.234,00 and 1 december 2026. Babel (an
Odoo dependency) holds the conventions of every locale.
"""

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal


def locale_of(lang):
    """The babel locale of an Odoo language code; English when unknown."""
    try:
        return Locale.parse(lang or "en_US")
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_US")


def number(value, lang, digits=0):
    """A count or an amount of hours: 1234 -> '1.234' (nl), 12.5 -> '12,5'."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=locale_of(lang))


def hours(value, lang):
    """Hours with one decimal, the way the time tables show them."""
    return number(value or 0.0, lang, digits=1)


def money(amount, currency, lang):
    """An amount with its currency sign: '€ 1.234,00' (nl), '€1,234.00' (en)."""
    return format_currency(amount or 0.0, currency or "EUR", locale=locale_of(lang))


def long_date(value, lang):
    """A date written out: '1 december 2026' (nl), 'December 1, 2026' (en)."""
    if not value:
        return ""
    return format_date(value, format="long", locale=locale_of(lang))


def cell(cell_value, lang):
    """The text of a protected cell: a published number formatted, else its marker."""
    if not cell_value:
        return "-"
    if cell_value.get("v") is not None:
        return number(cell_value["v"], lang)
    return cell_value["d"]
