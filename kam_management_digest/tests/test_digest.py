from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon


@tagged("post_install", "-at_install")
class TestKamDigest(KamCommon):
    """The key-account KPIs of the periodic digest, on controlled data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.kam_escalation_drop_points = 15
        Partner = cls.env["res.partner"]
        cls.digest = cls.env["digest.digest"].create(
            {
                "name": "KAM digest",
                "company_id": cls.company.id,
                "kpi_kam_accounts_at_risk": True,
                "kpi_kam_open_escalations": True,
            }
        )

        def account(name, band, trend):
            return Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "is_key_account": True,
                    "kam_user_id": cls.user_kam.id,
                    "kam_health_band": band,
                    "kam_health_trend": trend,
                }
            )

        cls.red = account("Red Co", "red", 0)
        cls.falling = account("Falling Co", "green", -15)
        cls.slipping = account("Slipping Co", "yellow", -14.9)
        cls.healthy = account("Healthy Co", "green", 5)
        cls.accounts = cls.red | cls.falling | cls.slipping | cls.healthy

    def _values(self, end, user=None):
        self.env.invalidate_all()
        digest = self.digest.with_context(
            start_datetime=end - timedelta(days=7), end_datetime=end
        )
        if user:
            digest = digest.with_user(user)
        return (
            digest.kpi_kam_accounts_at_risk_value,
            digest.kpi_kam_open_escalations_value,
        )

    def test_accounts_at_risk(self):
        now = fields.Datetime.now()
        # red and falling (by the company's drop points) count; slipping (less
        # than the drop) and healthy do not; other key accounts (demo) are
        # counted alike, on both sides
        others = self._values(now)[0] - 2
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("is_key_account", "=", True), ("id", "not in", self.accounts.ids)]
                + self.digest._kam_accounts_at_risk_domain(self.company)[1:]
            ),
            others,
        )
        self.falling.kam_health_trend = -10
        self.healthy.kam_health_band = "red"
        self.company.kam_escalation_drop_points = 10
        self.assertEqual(self._values(now)[0], others + 4)

    def test_open_escalations_at_the_period_end(self):
        ends = {}
        probe = self.env["kam.escalation"].create(
            {"partner_id": self.healthy.id, "reason": "other"}
        )
        created = probe.create_date
        probe.unlink()
        for key, delta in (("before", -1), ("open", 1), ("after_close", 3)):
            end = created + timedelta(hours=delta)
            ends[key] = (end, self._values(end)[1])
        escalations = self.env["kam.escalation"].create(
            [
                {"partner_id": self.red.id, "reason": "churn_risk"},
                {"partner_id": self.falling.id, "reason": "churn_risk"},
            ]
        )
        escalations[0].state = "cancelled"
        escalations[0].date_closed = created + timedelta(hours=2)
        self.env.flush_all()
        expected = {"before": 0, "open": 2, "after_close": 1}
        for key, (end, base) in ends.items():
            self.assertEqual(self._values(end)[1], base + expected[key], key)

    def test_kpis_need_the_kam_rights(self):
        with self.assertRaises(AccessError):
            self._values(fields.Datetime.now(), user=self.user_sales)
        self._values(fields.Datetime.now(), user=self.user_kam)

    def test_default_digest_and_mail(self):
        default = self.env.ref("digest.digest_digest_default")
        self.assertTrue(default.kpi_kam_accounts_at_risk)
        self.assertTrue(default.kpi_kam_open_escalations)
        self.digest.user_ids = self.user_kam
        kpis = self.digest.with_user(self.user_kam)._compute_kpis(
            self.company, self.user_kam
        )
        names = [kpi["kpi_name"] for kpi in kpis]
        self.assertIn("kpi_kam_accounts_at_risk", names)
        self.assertIn("kpi_kam_open_escalations", names)
