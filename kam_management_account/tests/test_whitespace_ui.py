from odoo.tests import HttpCase, tagged

from .common import KamWhitespaceCommon


@tagged("post_install", "-at_install", "kam_http")
class TestWhitespaceUi(HttpCase, KamWhitespaceCommon):
    """The grid in a real browser (static/tests/tours/kam_whitespace_tour.js):
    the KAM reads it and opens a cross-sell opportunity in an open cell."""

    def test_whitespace_tour(self):
        self.user_kam.tour_enabled = False
        self.account.name = "Tour Key Corp"
        self.plant.name = "Tour Plant"
        self._invoice(self.plant, [("a", 1200)])
        self._opportunity(self.account, "b")
        self.start_tour(
            f"/odoo/res.partner/{self.account.id}",
            "kam_whitespace_tour",
            login=self.user_kam.login,
        )
        lead = self.env["crm.lead"].search(
            [("partner_id", "=", self.plant.id), ("kam_growth_type", "=", "cross_sell")]
        )
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.user_id, self.user_kam)
