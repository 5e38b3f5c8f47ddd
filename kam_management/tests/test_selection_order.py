from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestSelectionOrder(KamCommon):
    """Ladders and scales group in their own order, lazily (kanban columns,
    list groupings) and eagerly (pivots, graphs), not alphabetically."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.accounts = Partner.create(
            [
                {
                    "name": f"Ordered {band} {strategy}",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_health_band": band,
                    "kam_health_score": 50.0 if band else 0.0,
                    "kam_strategy": strategy,
                    "kam_relationship_stage": stage,
                }
                for band, strategy, stage in (
                    ("green", "selective_investment", "trusted_partner"),
                    ("red", "maintain", "supplier"),
                    (False, "harvest", "partner"),
                    ("yellow", "expansive_investment", "preferred_supplier"),
                )
            ]
        )
        contacts = Partner.create(
            [{"name": f"Person {i}", "parent_id": cls.account.id} for i in range(5)]
        )
        cls.stakeholders = cls.env["kam.stakeholder"].create(
            [
                {
                    "partner_id": cls.account.id,
                    "contact_id": contact.id,
                    "attitude": attitude,
                    "influence": influence,
                    "interest": influence,
                }
                for contact, attitude, influence in zip(
                    contacts,
                    ("neutral", "opponent", "champion", "supporter", "skeptic"),
                    (2, 5, 1, 4, 3),
                    strict=True,
                )
            ]
        )
        cls.env["kam.health.snapshot"].create(
            [
                {"partner_id": account.id, "score": 50, "band": account.kam_health_band}
                for account in cls.accounts
            ]
        )
        cls.env.flush_all()

    def _eager(self, model, domain, fname):
        return [value for value, __ in model._read_group(domain, [fname], ["__count"])]

    def _lazy(self, model, domain, fname):
        groups = model.read_group(domain, [fname], [fname], lazy=True)
        return [group[fname] for group in groups]

    def _assert_order(self, model, domain, fname, expected, lazy_expected=None):
        self.assertEqual(self._eager(model, domain, fname), expected, f"{fname}, eager")
        self.assertEqual(
            [value for value in self._lazy(model, domain, fname)],
            lazy_expected or expected,
            f"{fname}, lazy",
        )

    def test_account_ladders(self):
        Partner = self.env["res.partner"]
        domain = [("id", "in", self.accounts.ids)]
        self._assert_order(
            Partner, domain, "kam_health_band", ["red", "yellow", "green", False]
        )
        self._assert_order(
            Partner,
            domain,
            "kam_strategy",
            ["harvest", "maintain", "selective_investment", "expansive_investment"],
        )
        self._assert_order(
            Partner,
            domain,
            "kam_relationship_stage",
            ["supplier", "preferred_supplier", "partner", "trusted_partner"],
        )

    def test_lazy_groups_are_filled(self):
        """A kanban shows every step of the ladder, empty or not."""
        groups = self._lazy(
            self.env["res.partner"], [("id", "=", self.accounts[0].id)], "kam_strategy"
        )
        self.assertEqual(
            groups,
            ["harvest", "maintain", "selective_investment", "expansive_investment"],
        )

    def test_descending_order_reverses_the_ladder(self):
        groups = self.env["res.partner"]._read_group(
            [("id", "in", self.accounts.ids)],
            ["kam_health_band"],
            ["__count"],
            order="kam_health_band desc",
        )
        self.assertEqual(
            [band for band, __ in groups], [False, "green", "yellow", "red"]
        )

    def test_stakeholder_scales(self):
        Stakeholder = self.env["kam.stakeholder"]
        domain = [("id", "in", self.stakeholders.ids)]
        attitudes = ["champion", "supporter", "neutral", "skeptic", "opponent"]
        self._assert_order(Stakeholder, domain, "attitude", attitudes)
        # influence 5 (decides) at the top of the matrix
        self._assert_order(Stakeholder, domain, "influence", [5, 4, 3, 2, 1])
        self._assert_order(Stakeholder, domain, "interest", [5, 4, 3, 2, 1])

    def test_snapshot_and_history_bands(self):
        domain = [("partner_id", "in", self.accounts.ids)]
        for model in ("kam.health.snapshot", "kam.health.history.report"):
            self._assert_order(
                self.env[model],
                [*domain, ("band", "!=", False)],
                "band",
                ["red", "yellow", "green"],
            )

    def test_portfolio_ladders(self):
        Report = self.env["kam.portfolio.report"]
        domain = [("partner_id", "in", self.accounts.ids)]
        self._assert_order(
            Report, domain, "health_band", ["red", "yellow", "green", False]
        )
        self._assert_order(
            Report,
            domain,
            "kam_strategy",
            ["harvest", "maintain", "selective_investment", "expansive_investment"],
        )
        self._assert_order(
            Report,
            domain,
            "kam_relationship_stage",
            ["supplier", "preferred_supplier", "partner", "trusted_partner"],
        )

    def test_pivot_with_two_groupbys(self):
        """A pivot's eager grouping orders each level by its ladder."""
        groups = self.env["kam.portfolio.report"].read_group(
            [("partner_id", "in", self.accounts.ids)],
            ["account_count"],
            ["kam_strategy", "health_band"],
            lazy=False,
        )
        self.assertEqual(
            [(g["kam_strategy"], g["health_band"]) for g in groups],
            [
                ("harvest", False),
                ("maintain", "red"),
                ("selective_investment", "green"),
                ("expansive_investment", "yellow"),
            ],
        )
