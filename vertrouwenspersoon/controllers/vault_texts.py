# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The words of the vault pages, translated from the addon's own .po files.

The pages are rendered from a file (views/vault_page.html), not from views stored in
the database, so no administrator's inherited view and no database edit can add
anything to the pages where a passphrase or recovery code is typed. Their texts live
here, as Python translations: Odoo reads those from the addon's files too.
"""

from markupsafe import Markup


def vault_texts(env):
    _ = env._
    return {
        "title": _("Vault"),
        "back": _("Back"),
        "back_to_odoo": _("Back to Odoo"),
        "continue": _("Continue"),
        "only_counsellors": _("Only counsellors have a vault."),
        "recovery_title": _("Your recovery code"),
        "recovery_help": _(
            "Write this code down, or store it in your password manager, and keep it away "
            "from this computer. It is the only way back into your vault if you forget your "
            "passphrase. It is shown only now: nobody, not even the administrator, can show "
            "it again."
        ),
        "recovery_stored": _("I have stored the recovery code safely"),
        "events_title": _("Security events since you last unlocked your vault"),
        "events_help": _(
            "Check that you expected each of these. A changed key or a new counsellor you "
            "do not know about may mean someone is trying to read case files: contact your "
            "fellow counsellors."
        ),
        "review_title": _("Check these changes before you unlock"),
        "review_help": _(
            "Since you last unlocked your vault, something changed that runs inside your "
            "work in Odoo or that protects your cases. If you did not expect a change, do "
            "not unlock: ask your fellow counsellors and the data protection officer who "
            "made it and why. Your vault stays locked until you confirm that you have seen "
            "this list."
        ),
        "review_confirm": _("I have checked these changes and want to unlock my vault"),
        "review_by": _("by"),
        "setup_help": Markup(
            _(
                "Case files are encrypted. Choose a <strong>vault passphrase</strong> to "
                "protect your key. It is not your login password: choose one you use nowhere "
                "else, at least 12 characters (a sentence of four or more words works well). "
                "Nobody can reset it for you; you get a recovery code instead."
            )
        ),
        "passphrase": _("Vault passphrase"),
        "repeat": _("Repeat the passphrase"),
        "setup": _("Set up my vault"),
        "locked_help": Markup(
            _(
                "Your vault is <strong>locked</strong>. Enter your vault passphrase to read "
                "case files."
            )
        ),
        "unlock": _("Unlock"),
        "forgot": _("Forgot your passphrase? Use your recovery code"),
        "recovery_code": _("Recovery code"),
        "new_passphrase": _("New vault passphrase"),
        "repeat_new": _("Repeat the new passphrase"),
        "recover": _("Recover my vault"),
        "unlocked_help": Markup(
            _(
                "Your vault is <strong>unlocked</strong> in this browser session. It locks "
                "itself after %s minutes without activity and when you log out."
            )
        ),
        "lock_now": _("Lock now"),
        "not_confirmed": _(
            "You have not confirmed that you stored your recovery code. If you do not have "
            "it, issue a new one below."
        ),
        "change_title": _("Change my vault passphrase"),
        "current_passphrase": _("Current vault passphrase"),
        "change": _("Change passphrase"),
        "new_code_title": _("Issue a new recovery code"),
        "new_code_help": _("The old recovery code stops working."),
        "new_code": _("New recovery code"),
        "fingerprint": _("Your key fingerprint:"),
        "fingerprint_help": _(
            "Colleagues see the same fingerprint for you under Configuration > Vaults. If it "
            "ever differs, your key was replaced."
        ),
    }
