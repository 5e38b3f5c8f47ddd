import io
import re
import shutil
import unittest
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tools import pdf

from odoo.addons.kam_management.report import kam_account_plan_report

from .common import KamCommon, KamRightsCommon

# an ISO date, a float written by Python (131.4735294117647), an English decimal
RAW_VALUES = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\d\.\d{4,}|\d\.\d{1,2}(?!\d)")


@unittest.skipUnless(shutil.which("wkhtmltopdf"), "wkhtmltopdf is not installed")
class TestPlanReport(KamCommon):
    """The printed account plan, rendered by wkhtmltopdf as a user prints it: the
    figures in the format of the reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme Growth 2026",
                "partner_id": cls.account.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "revenue_target": 1234567.5,
                "objective_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Win the second plant",
                            "target_value": 3,
                            "current_value": 1,
                        },
                    )
                ],
            }
        )

    def _pdf_text(self, lang):
        report = self.env.ref("kam_management.kam_account_plan_report")
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_kam)
            .with_context(lang=lang, force_report_rendering=True)
            ._render_qweb_pdf(report, self.plan.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        reader = pdf.PdfFileReader(io.BytesIO(content))
        # the text of the pages, its words separated by single spaces
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    def test_plan_prints_with_the_readers_number_format(self):
        text = self._pdf_text("en_US")
        self.assertIn("Acme Growth 2026", text)
        self.assertIn("Win the second plant", text)
        self.assertIn("12/31/2026", text)
        self.assertIn("1,234,567.50", text)
        self.assertIn("33.3 %", text)

    def test_plan_prints_in_spanish(self):
        text = self._pdf_text("es_ES")
        self.assertIn("Acme Growth 2026", text)
        self.assertIn("Objetivos", text)
        self.assertIn("31/12/2026", text)
        self.assertIn("1.234.567,50", text)
        self.assertIn("33,3 %", text)


class TestPlanReportLayout(KamCommon):
    """What the printed plan shows whatever wkhtmltopdf prints: the company (in
    the page body when wkhtmltopdf ignores the layout's header), each list's
    heading with its first rows, the responsible of every action."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()
        contact = cls.env["res.partner"].create(
            {"name": "Carla Buyer", "parent_id": cls.account.id}
        )
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme Growth 2026",
                "partner_id": cls.account.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "revenue_target": 1234567.5,
                "objective_ids": [
                    (0, 0, {"name": f"Objective {i}", "target_value": 3})
                    for i in range(5)
                ],
                "action_ids": [
                    (0, 0, {"name": "Send the forecast", "side": "customer"}),
                    (
                        0,
                        0,
                        {
                            "name": "Sign the order",
                            "side": "customer",
                            "contact_id": contact.id,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Workshop",
                            "side": "company",
                            "user_id": cls.user_kam.id,
                        },
                    ),
                ],
            }
        )

    def _html(self, lang="en_US", headers=False):
        with patch.object(
            kam_account_plan_report,
            "wkhtmltopdf_prints_headers",
            return_value=headers,
        ):
            html, _kind = (
                self.env["ir.actions.report"]
                .with_user(self.user_kam)
                .with_context(lang=lang)
                ._render_qweb_html(
                    "kam_management.kam_account_plan_report", self.plan.ids
                )
            )
        return html.decode()

    def test_company_in_the_body_without_the_layout_header(self):
        self.assertIn("o_kam_plan_company", self._html(headers=False))
        self.assertNotIn("o_kam_plan_company", self._html(headers=True))
        self.assertIn(self.env.company.name, self._html(headers=False))

    def test_headings_kept_with_their_first_rows(self):
        html = self._html()
        section = re.search(
            r"<section>\s*<h4>Objectives</h4>(.*?)</section>", html, re.S
        )
        self.assertTrue(section, "the objectives' heading is not in a section")
        # the first three rows with the heading, the others after the section
        self.assertEqual(section.group(1).count("Objective "), 3)
        self.assertIn("Objective 4", html[section.end() :])

    def test_customer_actions_print_their_responsible(self):
        html = self._html()
        rows = {
            name: re.search(rf"{name}.*?</tr>", html, re.S).group(0)
            for name in ("Send the forecast", "Sign the order", "Workshop")
        }
        self.assertIn("Carla Buyer", rows["Sign the order"])
        # without a contact, the customer itself
        self.assertIn("Acme Key Corp", rows["Send the forecast"])
        self.assertIn(self.user_kam.name, rows["Workshop"])

    def test_no_raw_values_in_spanish(self):
        html = re.sub(
            r"<(style|script)\b.*?</\1>", " ", self._html("es_ES"), flags=re.S
        )
        text = re.sub(r"<[^>]+>", " ", html)
        self.assertIn("31/12/2026", text)
        self.assertFalse(RAW_VALUES.findall(text))


class TestPlanReportRights(KamRightsCommon):
    """The printed plan is the programme's: refused before it is rendered to the
    users who may not read the plan or its strategy (a refusal, not a template
    error in the server's log)."""

    def test_printed_plan_refused_outside_the_programme(self):
        plan = self.env["kam.account.plan"].create(
            {
                "name": "Acme Growth",
                "partner_id": self.account.id,
                "portal_shared": True,
            }
        )
        report = self.env.ref("kam_management.kam_account_plan_report")
        for user in self.user_sales | self.user_portal | self.user_company_b:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(user)._render_qweb_html(
                    report, plan.ids
                )
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(self.user_kam_other)
            ._render_qweb_html(report, plan.ids)
        )
        self.assertIn(b"Acme Growth", html)
