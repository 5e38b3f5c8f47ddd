from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_account_plan import KamPlanCommon

REVIEW_DUE = "kam_management.mail_activity_type_kam_review_due"


@tagged("post_install", "-at_install")
class TestAccountReview(KamPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Started almost a quarter ago: the first review is due in 5 days.
        cls.plan.write(
            {
                "date_start": cls.today - relativedelta(months=3, days=-5),
                "date_end": cls.today + relativedelta(months=9),
            }
        )
        cls.plan.action_activate()
        cls.activity_type = cls.env.ref(REVIEW_DUE)

    def _reminders(self, plans=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.account.plan"),
                ("res_id", "in", (plans or self.plan).ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_checklist_from_template(self):
        Template = self.env["kam.review.checklist.template"]
        shipped = Template.search([])
        self.assertEqual(len(shipped), 6)
        review = self.env["kam.account.review"].create({"plan_id": self.plan.id})
        self.assertEqual(review.checklist_ids.mapped("name"), shipped.mapped("name"))
        self.assertEqual(review.partner_id, self.account)
        self.assertFalse(any(review.checklist_ids.mapped("done")))
        # the template is configurable; existing reviews keep their checklist
        shipped[0].active = False
        Template.create({"name": "Check the stakeholder map", "sequence": 1})
        second = self.env["kam.account.review"].create({"plan_id": self.plan.id})
        self.assertEqual(second.checklist_ids[0].name, "Check the stakeholder map")
        self.assertEqual(len(second.checklist_ids), 6)
        self.assertNotIn(shipped[0].name, second.checklist_ids.mapped("name"))
        self.assertEqual(len(review.checklist_ids), 6)
        review.checklist_ids[:3].done = True
        self.assertEqual(review.checklist_progress, 50)

    def test_done_review_moves_the_next_review(self):
        first_due = self.today + relativedelta(days=5)
        self.assertEqual(self.plan.next_review_date, first_due)
        review = self.env["kam.account.review"].create(
            {"plan_id": self.plan.id, "date": self.today}
        )
        self.assertEqual(
            self.plan.next_review_date, first_due, "A draft review is not held yet"
        )
        review.checklist_ids[0].done = True
        review.action_done()
        self.assertEqual(review.state, "done")
        self.assertEqual(self.plan.last_review_date, self.today)
        self.assertEqual(
            self.plan.next_review_date, self.today + relativedelta(months=3)
        )
        with self.assertRaises(UserError):
            review.action_done()
        self.plan.review_cadence = "semiannual"
        self.assertEqual(
            self.plan.next_review_date, self.today + relativedelta(months=6)
        )
        self.assertEqual(self.plan.review_count, 1)

    def test_review_done_on_its_day_not_before(self):
        """Issue 22: a review dated next week could be marked done today, and
        the plan's last review was then a day to come. A review closes from its
        day on; the refusal gives the date in the user's language."""
        Review = self.env["kam.account.review"].with_context(lang="en_US")
        tomorrow = self.today + relativedelta(days=1)
        review = Review.create({"plan_id": self.plan.id, "date": tomorrow})
        review.checklist_ids[0].done = True
        message = (
            f"^This review is dated {tomorrow.strftime('%m/%d/%Y')}: it can be "
            "marked as done from that day on, once it is held.$"
        )
        with self.assertRefused(ValidationError, message):
            review.action_done()
        self.assertEqual(review.state, "draft")
        self.assertFalse(self.plan.last_review_date)
        review.date = self.today
        review.action_done()
        self.assertEqual(self.plan.last_review_date, self.today)
        # nor moved to a day to come once done
        with self.assertRefused(ValidationError, message):
            review.date = tomorrow
        self.assertEqual(review.date, self.today)

    def test_health_score_recorded_when_available(self):
        review = self.env["kam.account.review"].create({"plan_id": self.plan.id})
        if "kam_health_score" in self.env["res.partner"]._fields:
            self.assertEqual(review.health_score, self.account.kam_health_score)
        else:
            self.assertEqual(review.health_score, 0.0)

    def test_reminder_once_on_reruns(self):
        Plan = self.env["kam.account.plan"]
        far = self._create_plan(
            name="Far",
            partner_id=self.candidate.id,
            date_start=self.today,
            date_end=self.today + relativedelta(years=1),
        )
        self.candidate.is_key_account = True
        far.action_activate()
        draft = self._create_plan(
            name="Draft", date_start=self.plan.date_start, date_end=self.plan.date_end
        )
        Plan._cron_remind_reviews()
        reminder = self._reminders()
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.user_kam, "The plan owner is reminded")
        self.assertEqual(reminder.date_deadline, self.plan.next_review_date)
        self.assertFalse(
            self._reminders(far | draft), "Only active plans with a review due"
        )
        Plan._cron_remind_reviews()
        Plan._cron_remind_reviews()
        self.assertEqual(len(self._reminders()), 1, "Never two reminders")
        # holding the review closes the reminder and moves the next one out of the
        # window
        review = (
            self.env["kam.account.review"]
            .with_user(self.user_member)
            .create({"plan_id": self.plan.id})
        )
        review.checklist_ids[0].done = True
        review.action_done()
        self.assertFalse(self._reminders())
        Plan._cron_remind_reviews()
        self.assertFalse(self._reminders())

    def test_reminder_window_is_configurable(self):
        self.company.kam_review_reminder_days = 3
        self.env["kam.account.plan"]._cron_remind_reviews()
        self.assertFalse(self._reminders(), "Due in 5 days, reminded 3 days before")
        self.company.kam_review_reminder_days = 5
        self.env["kam.account.plan"]._cron_remind_reviews()
        self.assertEqual(len(self._reminders()), 1)

    def test_review_due_follows_the_company_window(self):
        """The "Review Due" filter uses the reminder window of the company."""
        Plan = self.env["kam.account.plan"]

        def active_plan(name, due_in_days):
            account = self.env["res.partner"].create(
                {"name": name, "is_key_account": True, "kam_user_id": self.user_kam.id}
            )
            plan = Plan.create(
                {
                    "name": name,
                    "partner_id": account.id,
                    # quarterly: the first review is due 3 months after the start
                    "date_start": self.today
                    + relativedelta(days=due_in_days)
                    - relativedelta(months=3),
                    "date_end": self.today + relativedelta(months=9),
                }
            )
            plan.action_activate()
            # within a day or two (month ends), far from the windows tested
            days = (plan.next_review_date - self.today).days
            self.assertAlmostEqual(days, due_in_days, delta=3)
            return plan

        due_20 = active_plan("Due in 20 days", 20)
        due_40 = active_plan("Due in 40 days", 40)
        draft = self._create_plan(
            date_start=self.today - relativedelta(months=6),
            date_end=self.today + relativedelta(months=6),
        )
        plans = self.plan | due_20 | due_40 | draft
        self.company.kam_review_reminder_days = 30
        due = Plan.with_user(self.user_kam_other).search(
            [("id", "in", plans.ids), ("review_due", "=", True)]
        )
        self.assertEqual(due, self.plan | due_20)
        self.assertEqual(
            Plan.search([("id", "in", plans.ids), ("review_due", "!=", True)]),
            due_40 | draft,
        )
        self.assertEqual(
            plans.filtered("review_due"), self.plan | due_20, "Compute and search agree"
        )
        self.company.kam_review_reminder_days = 3
        self.assertFalse(
            Plan.search([("id", "in", plans.ids), ("review_due", "=", True)])
        )
        self.assertFalse(plans.filtered("review_due"))
        # the search view filter is that field, not a fixed number of days
        arch = etree.fromstring(
            Plan.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        (review_filter,) = arch.xpath("//filter[@name='review_due']")
        self.assertEqual(review_filter.get("domain"), "[('review_due', '=', True)]")

    def test_closing_the_plan_drops_its_reminder(self):
        self.env["kam.account.plan"]._cron_remind_reviews()
        self.assertTrue(self._reminders())
        self.plan.action_close()
        self.assertFalse(self._reminders())

    def test_review_rights(self):
        Review = self.env["kam.account.review"]
        review = Review.with_user(self.user_member).create({"plan_id": self.plan.id})
        review.checklist_ids[0].done = True
        review.notes = "<p>All good</p>"
        outsider_review = review.with_user(self.user_kam_other)
        self.assertEqual(
            outsider_review.partner_id, self.account, "Every KAM user reads"
        )
        with self.assertRaises(AccessError):
            outsider_review.action_done()
        with self.assertRaises(AccessError):
            outsider_review.checklist_ids[0].done = False
        with self.assertRaises(AccessError):
            Review.with_user(self.user_kam_other).create({"plan_id": self.plan.id})
        with self.assertRaises(AccessError):
            Review.with_user(self.user_sales).search([])
        review.with_user(self.user_kam_manager).action_done()
        self.assertEqual(review.state, "done")

    def test_can_edit_follows_the_write_rule(self):
        review = self.env["kam.account.review"].create({"plan_id": self.plan.id})
        self.plan.user_id = self.user_owner
        for user in (
            self.user_owner,
            self.user_kam,
            self.user_member,
            self.user_kam_manager,
        ):
            self.assertTrue(review.with_user(user).kam_can_edit, user.name)
        outsider_review = review.with_user(self.user_kam_other)
        self.assertFalse(outsider_review.kam_can_edit)
        with self.assertRaises(AccessError):
            outsider_review.action_done()
        # the form renders for the outsider, without the buttons it would fail on
        views = (
            self.env["kam.account.review"]
            .with_user(self.user_kam_other)
            .get_views([(False, "form")])
        )
        arch = etree.fromstring(views["views"]["form"]["arch"])
        for name in ("action_done", "action_draft"):
            (button,) = arch.xpath(f"//header/button[@name='{name}']")
            self.assertIn("not kam_can_edit", button.get("invisible"), name)
        for name in ("checklist_ids", "notes", "decisions"):
            (field,) = arch.xpath(f"//sheet//field[@name='{name}']")
            self.assertIn("not kam_can_edit", field.get("readonly"), name)


class TestReviewTitle(KamPlanCommon):
    """The review's title is its plan: shown whole, and its name's date in the
    reader's format."""

    def test_plan_title_not_cut(self):
        # a many2one input is as wide as its content's first characters unless
        # told otherwise: "Wood Corner: plan de crecim"
        arch = etree.fromstring(
            self.env["kam.account.review"].get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
        )
        title = arch.xpath("//div[hasclass('oe_title')]//field[@name='plan_id']")
        self.assertIn("w-100", title[0].get("class", "").split())

    def test_name_dates_in_the_reader_format(self):
        self._kam_load_spanish()
        review = self.env["kam.account.review"].create(
            {"plan_id": self.plan.id, "date": "2026-03-31"}
        )
        self.assertEqual(
            review.with_context(lang="es_ES").display_name,
            f"{self.plan.name} - revisión del 31/03/2026",
        )
        self.assertEqual(
            review.with_context(lang="en_US").display_name,
            f"{self.plan.name} - review of 03/31/2026",
        )
