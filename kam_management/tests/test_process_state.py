from odoo.tests import users

from .common import KamCommon


class TestNoProcessState(KamCommon):
    """Nothing of the addons lives in a worker's memory (DESIGN section 16): a
    business write never invalidates the registry's caches. Odoo signals such an
    invalidation to every worker of every server through the database, each then
    empties its caches (the access rights, the views, the rules): done on every
    health run or key-account edit, it would cost all users their caches. Only
    configuration changes (the programme settings, the groups) may do it."""

    def assertNoCacheInvalidation(self, action):
        registry = self.env.registry
        registry.cache_invalidated.clear()
        action()
        self.env.flush_all()
        self.assertFalse(registry.cache_invalidated)

    @users("kam_user")
    def test_key_account_edits(self):
        account = self.account.with_env(self.env)
        self.assertNoCacheInvalidation(
            lambda: account.write({"kam_strategy": "maintain", "kam_pulse": 4})
        )
        self.assertNoCacheInvalidation(
            lambda: self.env["kam.stakeholder"].create(
                {"partner_id": account.id, "contact_id": self.account_contact.id}
            )
        )

    def test_scheduled_actions(self):
        self.assertNoCacheInvalidation(
            self.env["kam.health.engine"]._cron_kam_compute_health
        )
        self.assertTrue(self.account.kam_health_date)
        self.assertNoCacheInvalidation(self.env["kam.escalation"]._cron_kam_escalations)
        self.assertNoCacheInvalidation(
            self.env["kam.account.plan"]._cron_remind_reviews
        )
        self.assertNoCacheInvalidation(
            self.env["kam.stakeholder"]._cron_kam_contact_due
        )

    @users("kam_manager")
    def test_designation(self):
        self.assertNoCacheInvalidation(
            lambda: self.candidate.with_env(self.env).write(
                {
                    "is_key_account": True,
                    "kam_user_id": self.user_kam.id,
                    "kam_strategy": "harvest",
                }
            )
        )
