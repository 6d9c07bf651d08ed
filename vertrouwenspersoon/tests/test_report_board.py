"""The annual report as the board reads it: in the organisation's language, with a cover,
contents, page numbers, the rule next to the first table, charts, and a workbook whose
numbers are numbers. Real PDF (wkhtmltopdf, read back with pdftotext) and real XLSX."""

import io
import json
import re
import shutil
import subprocess
from datetime import date
from unittest.mock import patch

import openpyxl
from lxml import etree

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval, time

from ..tools import report_chart, report_format
from .common_report import YEAR, ReportUsersMixin, xlsx_sheets

PDF = "vertrouwenspersoon.vp_annual_report_action_pdf"
XLSX = "vertrouwenspersoon.vp_annual_report_action_xlsx"
ENGLISH_LABELS = ("Bullying", "Listening ear only", "No referral", "Still open on 31 December")
DUTCH_LABELS = ("Pesten", "Alleen luisterend oor", "Geen doorverwijzing", "Nog open op 31 december")


def board_counts(new=40):
    """Counts with the real row keys (category and referral codes) of the data files."""
    return {
        "new": new,
        "carried": 6,
        "contacts": 1234,
        "hours": 1234.5,
        "tables": {
            "category": {"pesten": 12, "intimidatie": 9, "agressie_geweld": 20, "discriminatie": 2},
            "reporter_type": {"employee": new - 8, "temp": 5, "intern": 3},
            "accused_role": {"manager": 10, "colleague": new - 14, "client": 4},
            "route": {"listening": 22, "informal": new - 22},
            "referral": {"company_doctor": 7, "legal": 1, "none": 32},
            "outcome": {"resolved": 20, "partly_resolved": 6, "open": new - 26},
        },
    }


def pdf_pages(pdf_bytes):
    """The text of every page (pdftotext), whitespace squashed."""
    result = subprocess.run(
        [shutil.which("pdftotext"), "-layout", "-", "-"],
        input=pdf_bytes,
        capture_output=True,
        check=True,
        timeout=60,
    )
    pages = result.stdout.decode().split("\f")
    return [" ".join(page.split()) for page in pages if page.strip()]


@tagged("post_install", "-at_install")
class TestBoardReport(ReportUsersMixin, HttpCase):
    """One report published while only English was loaded, then Dutch installed: what
    the board downloads is Dutch throughout."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_users()
        cls.counsellor.name = "Marieke Jansen"
        eur = cls.env.ref("base.EUR")
        eur.active = True
        cls.company.currency_id = eur
        cls.env["vp.budget"].create(
            {"year": YEAR, "cost_category": "further_training", "amount": 1234.0}
        )
        cls.report = cls.Report.with_user(cls.counsellor).create(
            {"year": YEAR, "narrative_advice": "<p>Investeer in teamleiders</p>"}
        )
        cls.director.lang = "en_US"  # the reader's own language does not matter
        cls._pdf = cls._xlsx = None

    def setUp(self):
        super().setUp()
        if self.report.state == "draft":
            # published while only English was loaded: the frozen labels are English
            english = patch.object(type(self.Report), "_report_lang", lambda rec: "en_US")
            with english, self.fake_source({YEAR: board_counts(), YEAR - 1: board_counts(36)}):
                self.report.with_user(self.counsellor).action_publish()
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE vp_annual_report SET published_date = '2020-03-01 10:00:00' WHERE id = %s",
                [self.report.id],
            )
            self.report.invalidate_recordset()
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["vertrouwenspersoon"], ["nl_NL"], overwrite=True
        )

    def _render_pdf(self):
        if type(self)._pdf is None:
            if not shutil.which("pdftotext"):
                self.skipTest("pdftotext (poppler-utils) is not installed")
            pdf, _kind = (
                self.env["ir.actions.report"]
                .with_user(self.director)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(PDF, self.report.ids)
            )
            type(self)._pdf = pdf_pages(pdf)
        return type(self)._pdf

    def _render_xlsx(self):
        if type(self)._xlsx is None:
            xlsx, _kind = (
                self.env["ir.actions.report"]
                .with_user(self.director)
                ._render_xlsx(XLSX, self.report.ids, data={})
            )
            type(self)._xlsx = xlsx
        return type(self)._xlsx

    def test_pdf_labels_numbers_and_dates_are_dutch(self):
        text = " ".join(self._render_pdf())
        for label in DUTCH_LABELS:
            self.assertIn(label, text)
        for label in ENGLISH_LABELS:
            self.assertNotIn(label, text)
        self.assertIn("Jaarverslag 2019", text)
        self.assertNotIn("Annual report", text)
        self.assertIn("1.234", text)  # contact moments
        self.assertIn("1.234,5", text)  # contact hours
        self.assertIn("€ 1.234,00", text)  # planned budget
        self.assertIn("1 maart 2020", text)  # date of publication
        self.assertNotIn("2.019", text)  # a year is not a number
        self.assertIn("Kerncijfers", text)

    def test_file_names_are_dutch(self):
        for xmlid in (PDF, XLSX):
            action = self.env.ref(xmlid)
            name = safe_eval(action.print_report_name, {"object": self.report, "time": time})
            self.assertEqual(name, f"Jaarverslag {YEAR} - {self.company.name}")

    def test_screen_shows_the_dutch_report_to_an_english_reader(self):
        html = str(self.report.with_user(self.director).figures_html)
        self.assertIn("Kerncijfers", html)
        self.assertNotRegex(html, r"\d+\. Kerncijfers")  # no contents on screen: no numbers
        self.assertIn("Pesten", html)
        self.assertNotIn("Bullying", html)

    def test_pdf_cover_contents_and_page_numbers(self):
        pages = self._render_pdf()
        cover, contents = pages[0], pages[1]
        self.assertIn(self.company.name, cover)
        self.assertIn(str(YEAR), cover)
        self.assertIn("Marieke Jansen", cover)
        self.assertIn("Gepubliceerd 1 maart 2020", cover)
        self.assertNotIn("Pagina", cover)  # no page number on the cover
        self.assertIn("Inhoud", contents)
        # every section of the contents with the page it starts on, and it is there
        entries = re.findall(r"(\d+)\. ([A-Z][^0-9]+?) (\d+)(?= \d+\. | Pagina)", contents)
        self.assertGreaterEqual(len(entries), 10, contents)
        for _number, title, page in entries:
            self.assertIn(title.strip(), pages[int(page) - 1], (title, page))
        for index, page in enumerate(pages[1:], start=2):
            self.assertIn(f"Pagina {index} van {len(pages)}", page)

    def test_pdf_explains_the_rule_next_to_the_first_table_and_draws_charts(self):
        text = " ".join(self._render_pdf())
        rule = text.index("Leeswijzer bij de tabellen")
        first_table = text.index("Nieuwe meldingen")
        self.assertLess(rule, first_table)
        self.assertIn("beschermen we samen", text[rule:first_table])
        # the chart legend says what hatched and grey bars mean
        self.assertIn("< 5: 1 tot en met 4, niet precies getoond", text[first_table:])
        self.assertIn("x: verborgen", text[first_table:])

    def test_xlsx_numbers_notes_sheet_names_and_labels(self):
        content = self._render_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            workbook.sheetnames,
            [
                "Overzicht",
                "Soort gedrag",
                "Melders",
                "Veroorzaker",
                "Routes",
                "Doorverwijzingen",
                "Uitkomsten",
                "Tijd",
                "Budget",
                "Voorlichting",
                "Signalen",
                "Wbk-meldingen",
            ],
        )
        sheet = workbook["Soort gedrag"]
        rows = {row[0].value: row[1:4] for row in sheet.iter_rows() if row[0].value}
        self.assertEqual(rows["Pesten"][2].value, 12)  # a number, not the text "12"
        small = rows["Discriminatie"][2]
        self.assertEqual(small.value, "< 5")
        self.assertIn("1 tot en met 4", small.comment.text)
        self.assertIn("< 5", rows)  # the legend row
        values = [v for rows in xlsx_sheets(content).values() for row in rows for v in row]
        for label in DUTCH_LABELS:
            self.assertIn(label, values)
        for label in ENGLISH_LABELS:
            self.assertNotIn(label, values)
        self.assertIn(1234.5, values)  # contact hours as a number
        summary = workbook["Overzicht"]
        self.assertEqual(summary["A1"].value, f"Jaarverslag {YEAR}")


@tagged("post_install", "-at_install")
class TestReportFormatAndChart(TransactionCase):
    """The pure parts: formatting per language and the chart drawing."""

    def test_formatting_follows_the_language(self):
        self.assertEqual(report_format.number(1234, "nl_NL"), "1.234")
        self.assertEqual(report_format.hours(1234.5, "nl_NL"), "1.234,5")
        self.assertEqual(report_format.money(1234, "EUR", "nl_NL"), "€\xa01.234,00")
        self.assertEqual(report_format.hours(1234.5, "en_US"), "1,234.5")
        self.assertEqual(report_format.long_date(date(2026, 12, 1), "nl_NL"), "1 december 2026")

    def test_chart_draws_published_small_and_hidden_cells_differently(self):
        rows = [
            {"label": "A", "cells": {"2019": {"v": 20, "d": "20", "s": ""}}},
            {"label": "B", "cells": {"2019": {"v": None, "d": "< 5", "s": "p"}}},
            {"label": "C", "cells": {"2019": {"v": None, "d": "x", "s": "c"}}},
            {"label": "D", "cells": {"2019": {"v": 0, "d": "0", "s": ""}}},
        ]
        svg = report_chart.bar_chart(
            rows, ["2019"], 5, {"small": "< 5: few", "hidden": "x: hidden"}, "nl_NL"
        )
        root = etree.fromstring(svg)
        ns = {"s": "http://www.w3.org/2000/svg"}
        bars = root.xpath("//s:rect[@x='250']", namespaces=ns)
        self.assertEqual(len(bars), 3, "published, small and hidden get a bar; zero none")
        full, small, hidden = bars
        self.assertEqual(full.get("width"), "300")
        self.assertEqual(small.get("fill"), "url(#hatch0)")
        self.assertEqual(small.get("width"), str(round(300 * 4 / 20)))
        self.assertEqual(hidden.get("fill"), report_chart.HIDDEN_COLOUR)
        texts = root.xpath("//s:text/text()", namespaces=ns)
        self.assertIn("< 5: few", texts)
        self.assertIn("x: hidden", texts)


@tagged("post_install", "-at_install")
class TestDemoOrganisation(TransactionCase):
    """With demo data (`make run`, `make test`): the demo organisation is large enough
    for a report of real figures, and its generated cases are real vault cases."""

    def setUp(self):
        super().setUp()
        self.report = self.env.ref(
            "vertrouwenspersoon.vp_annual_report_demo_last_year", raise_if_not_found=False
        )
        if not self.report:
            self.skipTest("demo data not installed")

    def test_most_cells_of_the_demo_report_are_published(self):
        self.assertEqual(self.report.state, "published")
        figures = json.loads(self.report.figures_json)
        year = figures["years"][-1]
        cells = [row["cells"][year] for table in figures["tables"] for row in table["rows"]]
        published = [cell for cell in cells if cell["v"] is not None]
        self.assertGreater(len(published), 2 * len(cells) / 3, cells)
        for year in figures["years"]:
            self.assertGreaterEqual(figures["headline"][year]["new"]["v"], 80)
        self.assertGreaterEqual(self.env["hr.employee"].search_count([]), 300)

    def test_generated_cases_are_vault_cases(self):
        self.env.cr.execute(
            """
            SELECT count(*) FILTER (WHERE destroyed_date IS NULL),
                   count(*) FILTER (WHERE destroyed_date IS NULL
                                      AND melder_name_enc LIKE 'vp1%%'),
                   count(*) FILTER (WHERE destroyed_date IS NOT NULL
                                      AND melder_name_enc IS NOT NULL)
              FROM vp_case
             WHERE melder_name_enc IS NOT NULL OR destroyed_date IS NOT NULL
            """
        )
        kept, encrypted, destroyed_with_content = self.env.cr.fetchone()
        self.assertGreater(kept, 20)
        self.assertEqual(kept, encrypted)  # content only as ciphertext
        self.assertEqual(destroyed_with_content, 0)  # past retention: metadata only


@tagged("post_install", "-at_install")
class TestReportTitleAndCover(ReportUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_users()
        cls.counsellor.name = "Marieke Jansen"

    def test_one_counsellor_report_names_that_counsellor_only(self):
        report = self._new_report(scope="counsellor", counsellor_id=self.counsellor.id)
        self.assertEqual(report._cover_counsellors(), ["Marieke Jansen"])
        self.assertIn(" - Marieke Jansen - ", report._report_file_name())

    def test_organisation_report_names_every_counsellor_of_the_company(self):
        report = self._new_report()
        self.assertIn("Marieke Jansen", report._cover_counsellors())
        self.assertIn(self.counsellor2.name, report._cover_counsellors())
        self.assertNotIn(self.director.name, report._cover_counsellors())

    def test_title_carries_the_version(self):
        report = self._new_report(version=2)
        with patch.object(type(report), "_report_lang", lambda rec: "en_US"):
            self.assertEqual(report._report_title(), f"Annual report {YEAR} (v2)")
