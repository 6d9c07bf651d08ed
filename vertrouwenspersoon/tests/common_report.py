# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared set-up of the annual report tests: users and a fake metadata source."""

import io
import json
import shutil
import subprocess
from contextlib import contextmanager
from unittest.mock import patch

import openpyxl
from PyPDF2 import PdfReader

from odoo.tests import new_test_user

from .common import add_role_users

YEAR = 2019  # before any demo data, so demo cases never mix into the figures


def fake_counts(new=23, carried=3, pesten=3):
    """The shape `_query_case_counts` returns, with known small cells."""
    return {
        "new": new,
        "carried": carried,
        "tables": {
            "category": {"intimidation": 12, "bullying": pesten, "discrimination": 9},
            "reporter_type": {"employee": new - 5, "temp": 2, "intern": 3},
            "accused_role": {"manager": 10, "colleague": new - 14, "client": 4},
            "route": {"listening": new - 6, "informal": 6},
            "referral": {"company_doctor": 7, "legal": 1, "none": 15},
            "outcome": {"resolved": 11, "partly_resolved": 6, "open": new - 17},
        },
    }


def pdf_text(pdf_bytes):
    """The text of a PDF: pdftotext (poppler) when installed, else PyPDF2."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        result = subprocess.run(
            [pdftotext, "-layout", "-", "-"],
            input=pdf_bytes,
            capture_output=True,
            check=True,
            timeout=60,
        )
        text = result.stdout.decode()
    else:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


def xlsx_sheets(xlsx_bytes):
    """{sheet title: [[cell values of a row], ...]} of a workbook."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def published_values(figures):
    """Every (display, value, status) of the count cells of a figures dict."""
    cells = []
    for year_cells in figures["headline"].values():
        cells.extend(year_cells.values())
    for table in figures["tables"]:
        for row in table["rows"]:
            cells.extend(row["cells"].values())
        cells.extend(c for c in table["total"].values() if c)
    cells.append(figures["contacts"]["count"])
    return cells


class ReportUsersMixin:
    @classmethod
    def _setup_report_users(cls):
        env = cls.env
        cls.company = env.company
        cls.other_company = env["res.company"].create({"name": "Andere Zorg BV"})
        group = "vertrouwenspersoon.group_vp_counsellor"
        cls.counsellor = new_test_user(env, "vp_r_counsellor", groups=group)
        cls.counsellor2 = new_test_user(env, "vp_r_counsellor2", groups=group)
        cls.director = new_test_user(
            env,
            "vp_r_director",
            password="vp_r_director_pw1",
            groups="base.group_user,vertrouwenspersoon.group_vp_director",
        )
        cls.other_director = new_test_user(
            env,
            "vp_r_director2",
            groups="base.group_user,vertrouwenspersoon.group_vp_director",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        add_role_users(
            cls, "vp_r", "employee", "portal", "hr_manager", "functional_admin", "settings_admin"
        )
        cls.Report = env["vp.annual.report"]

    @contextmanager
    def fake_source(self, by_year):
        """Serve case counts from ``by_year`` instead of vp.case."""
        model_class = type(self.env["vp.annual.report"])

        def query(record, year):
            return by_year.get(year) or {"new": 0, "carried": 0, "tables": {}}

        def cover(record, year):
            # one counsellor holds every case: the organisation equals that counsellor
            counts = by_year.get(year)
            return {str(record.counsellor_id.id): counts} if counts else {}

        with (
            patch.object(model_class, "_query_case_counts", query),
            patch.object(model_class, "_query_cover_counts", cover),
        ):
            yield

    def _new_report(self, user=None, **values):
        values.setdefault("year", YEAR)
        return self.Report.with_user(user or self.counsellor).create(values)

    @staticmethod
    def figures_of(report):
        return json.loads(report.sudo().figures_json)
