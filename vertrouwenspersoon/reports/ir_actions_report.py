# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from collections import OrderedDict

from odoo import models

from ..tools import report_pdf

ANNUAL_REPORT_PDF = "vertrouwenspersoon.vp_annual_report_pdf"


class IrActionsReport(models.Model):
    """The annual report PDF gets page footers and a contents with page numbers.

    wkhtmltopdf renders each report twice: once to learn on which page every section
    starts, once with those pages in the contents (the contents keep their length, so
    nothing moves). Then the footer ("Annual report 2025 - Organisation, page 3 of 12")
    is stamped on every page but the cover.
    """

    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report_sudo = self._get_report(report_ref)
        if report_sudo.report_name != ANNUAL_REPORT_PDF or not res_ids:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        collected = OrderedDict()
        for doc in self.env["vp.annual.report"].browse(res_ids):
            if doc.id in collected:
                continue
            collected[doc.id] = {
                "stream": io.BytesIO(self._vp_annual_report_pdf(report_ref, data, doc)),
                "attachment": None,
            }
        return collected

    def _vp_annual_report_pdf(self, report_ref, data, doc):
        lang = doc._report_lang()
        doc = doc.with_context(lang=lang)
        values = doc._render_values()
        render = super()._render_qweb_pdf_prepare_streams
        first = render(report_ref, dict(data or {}), res_ids=doc.ids)[doc.id]["stream"]
        # the contents are on page 2: look for the sections from page 3 on
        pages = report_pdf.section_pages(first.getvalue(), values["sections"], first_page=2)
        second = render(
            report_ref, dict(data or {}, vp_toc_pages={doc.id: pages}), res_ids=doc.ids
        )[doc.id]["stream"]
        return report_pdf.stamp_footer(
            second.getvalue(),
            f"{doc._report_title()} - {doc.company_id.name}",
            lambda page, total: doc.env._("Page %(page)s of %(pages)s", page=page, pages=total),
        )
