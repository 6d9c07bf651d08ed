# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Security log lines in the reader's language and time zone.

A line is written once, by whoever acted (an administrator working in English, a cron
without a language), and read later by each counsellor in their own language. So a line
keeps its English source text and its parameters, as JSON in the hashed ``description``
(the chain covers them), and is translated, with its dates in the reader's time zone,
only when it is shown. Lines written before this kept translated text: shown as stored.

Writers pass ``_lt("... %(name)s ...", name=...)`` to ``vp.security.log._log``.
"""

import json
from datetime import date, datetime

import pytz

from odoo import fields
from odoo.http import request
from odoo.tools import format_date, format_datetime
from odoo.tools.translate import LazyGettext, LazyTranslate, get_translation

MODULE = "vertrouwenspersoon"
_lt = LazyTranslate(MODULE)
TEXT = "vp_text"


def encode(text):
    """The stored form of ``text``: a lazy translation as JSON, plain text as it is."""
    if not isinstance(text, LazyGettext):
        return text
    return json.dumps(_encode(text), ensure_ascii=False, sort_keys=True)


def _encode(value):
    if isinstance(value, LazyGettext):
        args = value._args
        if isinstance(args, dict):
            args = {key: _encode(arg) for key, arg in args.items()}
        else:
            args = [_encode(arg) for arg in args]
        return {TEXT: value._source, "args": args}
    if isinstance(value, datetime):
        return {"datetime": fields.Datetime.to_string(value)}
    if isinstance(value, date):
        return {"date": fields.Date.to_string(value)}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return "" if value is None or value is False else str(value)


def render(env, description):
    """``description`` in the language of ``env``, its times in the user's time zone."""
    if not description or not description.startswith('{"'):
        return description or ""
    try:
        data = json.loads(description)
    except ValueError:
        return description
    if not isinstance(data, dict) or TEXT not in data:
        return description
    return _render(env, data)


def _render(env, value):
    if isinstance(value, dict):
        if TEXT in value:
            args = value.get("args") or ()
            if isinstance(args, dict):
                args = {key: _render(env, arg) for key, arg in args.items()}
            else:
                args = tuple(_render(env, arg) for arg in args)
            return get_translation(MODULE, env.lang or "en_US", str(value[TEXT]), args)
        if "datetime" in value:
            return format_datetime(env, value["datetime"], tz=user_tz(env))
        if "date" in value:
            return format_date(env, value["date"])
    return str(value)


def user_tz(env):
    """The time zone to show times in: the user's, else the one their browser told the
    portal (Odoo's ``tz`` cookie), else the company's working hours', else UTC."""
    candidates = [env.user.tz]
    if request:
        candidates.append(request.httprequest.cookies.get("tz"))
    candidates += [env.company.resource_calendar_id.tz, "UTC"]
    return next(tz for tz in candidates if tz and tz in pytz.all_timezones_set)
