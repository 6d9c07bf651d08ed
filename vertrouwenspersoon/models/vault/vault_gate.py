# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The gate in front of every decryption: who may use an unlocked key, and from where.

Odoo lets an administrator put logic into other users' requests without touching a file
on the server: computed custom fields, server actions and automations, record-rule
domains (all run through ``safe_eval``), QWeb views (compiled from the database), and
modules that patch model methods (OCA ``auditlog``). The vault refuses to hand out a key

* to a superuser or ``sudo()`` environment;
* while code that came from the database is on the call stack (``safe_eval``'d code or
  a compiled QWeb template, recognised by the code object of ``safe_eval`` and by the
  globals QWeb runs templates with): decrypted values are computed by the addon's own
  code only, and QWeb pages get them pre-computed (see the inzage report);
* while a vault model's methods are patched by some other code at run time;
* in a request of a counsellor whose configuration changed since the unlock (the
  configuration guard locks the vault then).

The cookie that opens the key in the session is taken out of the request before any
controller or template runs, so that no template or evaluated expression can read it.
"""

import sys
import threading
import weakref

from odoo.tools import safe_eval as _safe_eval

COOKIE_NAME = "vp_vault"


_SAFE_EVAL_CODES = frozenset({_safe_eval.safe_eval.__code__})


# Methods through which decrypted values leave a record; another module or an
# administrator's configuration patching them on a vault model is a red flag.
WATCHED_METHODS = (
    "create",
    "read",
    "write",
    "unlink",
    "copy",
    "copy_data",
    "web_read",
    "web_search_read",
    "search_read",
    "_read_format",
    "fetch",
    "export_data",
    "_compute_vault_content",
    "_compute_vault_drop_content",
)


# request (Odoo's HTTPRequest) -> {"cookie": str, ...}: the stash lives in this module's
# memory only, out of reach of templates and evaluated expressions.
_REQUEST_STASH = weakref.WeakKeyDictionary()


_STASH_LOCK = threading.Lock()


def code_from_database_on_stack():
    """True when code compiled from the database is running: ``safe_eval`` (server
    actions, computed custom fields, automations, rule domains, crons, inline mail
    templates) or a QWeb template (views, reports, mail bodies)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code in _SAFE_EVAL_CODES:
            return True
        # QWeb runs its compiled templates with globals that are their own builtins
        if frame.f_globals.get("__builtins__") is frame.f_globals:
            return True
        frame = frame.f_back
    return False


def patched_vault_methods(env):
    """(model, method, module) of vault-model methods patched on the registry class.

    Odoo builds each model's class from the classes of the modules; methods are never
    set on the final class itself, which is where run-time patches (``auditlog``) go.
    """
    registry = env.registry
    names = getattr(registry, "_vp_model_names", None)
    if names is None:
        names = registry._vp_model_names = [n for n in registry if n.startswith("vp.")]
    found = []
    for name in names:
        cls = registry[name]
        attrs = vars(cls)
        for method in WATCHED_METHODS:
            func = attrs.get(method)
            if func is None:
                continue
            # a patch put back to the original (auditlog's revert) is no patch
            inherited = next(
                (vars(base)[method] for base in cls.__mro__[1:] if method in vars(base)), None
            )
            if func is not inherited:
                found.append((name, method, getattr(func, "__module__", "?")))
    return found


# cursor -> {"checked": set of uids whose configuration check passed in this transaction}
# (module memory: ``env.cr.cache`` is reachable from evaluated expressions)
_TRANSACTION_STASH = weakref.WeakKeyDictionary()


def transaction_stash(cr):
    with _STASH_LOCK:
        entry = _TRANSACTION_STASH.get(cr)
        if entry is None:
            entry = _TRANSACTION_STASH[cr] = {"checked": set()}
        return entry


def forget_checks(cr):
    """A guarded change in this transaction: check the configuration again."""
    entry = transaction_stash(cr)
    entry["checked"].clear()
    entry.pop("memo", None)


def read_memo(cr, uid, private):
    """What ``uid``, unlocked with ``private``, opened in this transaction (case keys,
    manifests, the case revisions they saw), so that the case and its contact moments
    of one request unwrap and check each key once. Module memory, like the rest of the
    stash; gone with the transaction."""
    with _STASH_LOCK:
        entry = _TRANSACTION_STASH.get(cr)
        if entry is None:
            entry = _TRANSACTION_STASH[cr] = {"checked": set()}
        memos = entry.setdefault("memo", {})
        memo = memos.get(uid)
        if memo is None or memo["private"] != private:
            memo = memos[uid] = {"private": private}
        return memo


def forget_read_memo(cr):
    """Case keys or sealed documents were written in this transaction: open them anew."""
    with _STASH_LOCK:
        entry = _TRANSACTION_STASH.get(cr)
        if entry is not None:
            entry.pop("memo", None)


def stash_cookie(httprequest):
    """Move the vault cookie out of ``httprequest`` into this module's memory."""
    wrapped = getattr(httprequest, "_HTTPRequest__wrapped", httprequest)
    value = wrapped.cookies.get(COOKIE_NAME)
    if value is None:
        return
    with _STASH_LOCK:
        _REQUEST_STASH[httprequest] = {"cookie": value}
    environs = [wrapped.environ, getattr(httprequest, "environ", None)]
    for environ in environs:
        if environ and "HTTP_COOKIE" in environ:
            environ["HTTP_COOKIE"] = _without_cookie(environ["HTTP_COOKIE"])
    # werkzeug caches the parsed cookies: replace them by the list without ours
    wrapped.__dict__["cookies"] = type(wrapped.cookies)(
        [(k, v) for k, v in wrapped.cookies.items(multi=True) if k != COOKIE_NAME]
    )


def stashed(httprequest):
    """The stash entry of this request (a dict, possibly empty)."""
    with _STASH_LOCK:
        entry = _REQUEST_STASH.get(httprequest)
        if entry is None:
            entry = _REQUEST_STASH[httprequest] = {}
        return entry


def _without_cookie(header):
    parts = [p for p in header.split(";") if p.split("=", 1)[0].strip() != COOKIE_NAME]
    return ";".join(parts).strip()
