# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Code without the ORM (pure Python): imported by models and controllers."""
