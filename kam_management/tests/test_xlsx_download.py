from odoo.tests import HttpCase, tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamHttp(HttpCase, KamCommon):
    """Downloads as a browser makes them: a workbook comes from /web/content with
    its type, and without the tracebacks Odoo logs when it guesses the type of a
    workbook from its first bytes."""

    def test_portfolio_download_logs_nothing(self):
        self.authenticate(self.user_kam.login, self.user_kam.login)
        action = (
            self.env["kam.xlsx.export"].with_user(self.user_kam)._kam_export_portfolio()
        )
        with self.assertNoLogs("odoo.tools.mimetypes", level="WARNING"):
            response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertTrue(response.content.startswith(b"PK"))
