import io
import shutil
import unittest

from odoo.exceptions import AccessError
from odoo.tools import pdf

from .common import KamCommon, KamRightsCommon


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
