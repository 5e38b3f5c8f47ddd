from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form

from .common import KamRightsCommon


class TestProgrammeSettings(KamRightsCommon):
    """KAM administrators configure the programme of the companies they work in
    without being Odoo administrators; nobody else does, and the rest of the
    company stays out of their reach."""

    def test_manager_changes_the_settings_from_the_form(self):
        self.assertFalse(self.user_kam_manager.has_group("base.group_system"))
        Settings = self.env["kam.programme.settings"].with_user(self.user_kam_manager)
        with Form(Settings) as form:
            form.kam_max_key_accounts = 25
            form.kam_escalation_cooldown_days = 7
            form.kam_engagement_cadence_harvest = 6
        form.record.action_save()
        self.assertEqual(self.company.kam_max_key_accounts, 25)
        self.assertEqual(self.company.kam_escalation_cooldown_days, 7)
        self.assertEqual(self.company.kam_engagement_cadence_harvest, 6)

    def test_manager_writes_only_programme_settings(self):
        company = self.company.with_user(self.user_kam_manager)
        with self.assertRefused(AccessError):
            company.write({"name": "Renamed", "kam_max_key_accounts": 3})
        with self.assertRefused(AccessError):
            company.write({"name": "Renamed"})
        self.assertEqual(self.company.kam_max_key_accounts, 0)

    def test_manager_only_in_the_companies_they_work_in(self):
        self.assertNotIn(self.company_b, self.user_kam_manager.company_ids)
        with self.assertRefused(AccessError):
            self.company_b.with_user(self.user_kam_manager).write(
                {"kam_max_key_accounts": 3}
            )

    def test_others_change_nothing(self):
        for user in self.user_kam | self.user_team | self.attackers:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self.env["kam.programme.settings"].with_user(user).create(
                        {"kam_max_key_accounts": 3}
                    )
                with self.assertRefused(AccessError):
                    self.company.with_user(user).write({"kam_max_key_accounts": 3})
        self.assertEqual(self.company.kam_max_key_accounts, 0)

    def test_bad_value_refused(self):
        Settings = self.env["kam.programme.settings"].with_user(self.user_kam_manager)
        with self.assertRefused(ValidationError, "cannot be negative"):
            Settings.create({"kam_max_key_accounts": -1})
        self.assertEqual(self.company.kam_max_key_accounts, 0)

    def test_out_of_range_settings_refused(self):
        """Issue 20: settings without bounds overflowed the dates computed
        from them (an SLA of a billion hours); strings for numbers and huge
        numbers end in a clear refusal, nothing changed."""
        Settings = self.env["kam.programme.settings"].with_user(self.user_kam_manager)
        before = self.company.read(["kam_escalation_sla_low"])
        for vals in (
            {"kam_escalation_sla_low": 10**9},
            {"kam_escalation_sla_low": 10**12},
            {"kam_escalation_sla_critical": "abc"},
            {"kam_escalation_cooldown_days": 10**7},
            {"kam_escalation_drop_points": 101},
            {"kam_escalation_big_deal": float("inf")},
            {"kam_review_reminder_days": 10**7},
            {"kam_engagement_cadence_harvest": 10**6},
            {"kam_growth_target_percent": 10**400},
            {"kam_health_red_below": [1]},
            {"company_id": "abc"},
        ):
            with self.subTest(vals=vals), self.assertRefused(ValidationError):
                Settings.create(vals)
        with self.assertRefused(ValidationError):
            self.company.with_user(self.user_kam_manager).write(
                {"kam_escalation_sla_high": -(10**12)}
            )
        self.assertEqual(self.company.read(["kam_escalation_sla_low"]), before)
