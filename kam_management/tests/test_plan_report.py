import io
import shutil
import unittest

from odoo.tools import pdf

from .common import KamCommon


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
