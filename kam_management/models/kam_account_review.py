from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..tools.values import kam_check_computed_vals

REVIEW_TYPES = [
    ("quarterly", "Quarterly"),
    ("semiannual", "Semiannual"),
    ("annual", "Annual"),
    ("ad_hoc", "Ad Hoc"),
]
REVIEW_STATES = [
    ("draft", "Draft"),
    ("done", "Done"),
]


class KamAccountReview(models.Model):
    _name = "kam.account.review"
    _description = "Key Account Review"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "kam.account.mixin",
        "kam.playbook.mixin",
    ]
    _kam_account_field = "plan_id"
    _kam_account_path = "plan_id.partner_id"
    _order = "date desc, id desc"
    # the account's health at the review, the brief's sending and the
    # objectives' progress when done, set by the code: nobody types them in
    _kam_computed_fnames = ("health_score", "brief_sent_date", "objective_progress")

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------
    plan_id = fields.Many2one(
        "kam.account.plan",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, index=True, string="Key Account"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="plan_id.user_id", string="Plan Owner")
    date = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self),
    )
    review_type = fields.Selection(
        REVIEW_TYPES, default="quarterly", required=True, tracking=True
    )
    state = fields.Selection(
        REVIEW_STATES, default="draft", required=True, copy=False, tracking=True
    )
    health_score = fields.Float(
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Health score of the account at the review (when the health score is "
        "available), frozen when the review is done.",
    )
    checklist_ids = fields.One2many(
        "kam.account.review.checklist", "review_id", copy=True
    )
    checklist_progress = fields.Float(
        compute="_compute_checklist_progress", digits=(16, 0)
    )
    notes = fields.Html()
    decisions = fields.Html()

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------
    @api.depends("plan_id.name", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "%(plan)s - review of %(date)s",
                plan=review.plan_id.name or "",
                date=format_date(self.env, review.date),
            )

    @api.depends("checklist_ids.done")
    def _compute_checklist_progress(self):
        for review in self:
            items = review.checklist_ids
            review.checklist_progress = (
                len(items.filtered("done")) / len(items) * 100 if items else 0.0
            )

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("state", "date")
    def _check_done_when_held(self):
        # A review is done once held: one dated later would make the plan's
        # last review a day to come, and move its next review with it. Today
        # is the later of the user's and the programme's, so that a review of
        # the user's today closes whatever the time zones.
        today = max(fields.Date.context_today(self), self.env.company._kam_today())
        for review in self:
            if review.state == "done" and review.date > today:
                raise ValidationError(
                    self.env._(
                        "This review is dated %(date)s: it can be marked as done "
                        "from that day on, once it is held.",
                        date=format_date(self.env, review.date),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                # the health at the review is the engine's figure, not a user's
                vals.pop("health_score", None)
        self._kam_fill_checklist(vals_list)
        reviews = super().create(vals_list)
        reviews.filtered(lambda r: not r.health_score)._kam_update_health_score()
        # an upcoming review: its playbook prepares it (a past one is a record)
        today = fields.Date.context_today(self)
        reviews.filtered(
            lambda r: r.state == "draft" and r.date >= today
        )._kam_launch_playbooks("review")
        return reviews

    def write(self, vals):
        kam_check_computed_vals(self, vals)
        return super().write(vals)

    def _kam_playbook_date(self):
        # the steps of the review's playbook are counted from its date
        return self.date

    def _kam_computed_origin(self, fname):
        """What the computed figure ``fname`` comes from, for the message that
        refuses to write it."""
        return self.env._("the account's health")

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_done(self):
        # the health score is frozen with sudo: the caller must be able to
        # change the reviews first
        self.check_access("write")
        if self.filtered(lambda r: r.state == "done"):
            raise UserError(self.env._("This review is already done."))
        # a review held is a review whose checklist was gone through; a review
        # without any checklist (no template, or every line removed) may close
        if self.filtered(
            lambda r: r.checklist_ids and not r.checklist_ids.filtered("done")
        ):
            raise UserError(
                self.env._(
                    "Tick at least one item of the checklist before closing the "
                    "review."
                )
            )
        self._kam_update_health_score()
        self.write({"state": "done"})
        # The review is held: the plan's reminder has served its purpose.
        self.plan_id.activity_feedback(
            ["kam_management.mail_activity_type_kam_review_due"]
        )
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------
    @api.model
    def _kam_fill_checklist(self, vals_list):
        """Give the active items of the checklist template to the reviews of
        ``vals_list`` (create values, changed in place) that come without
        checklist lines, whatever the way they are created: the web client
        sends an empty list for the checklist of a new review, a review created
        with lines of its own keeps them. The templates are read once."""
        empty = [vals for vals in vals_list if not vals.get("checklist_ids")]
        if not empty:
            return
        templates = self.env["kam.review.checklist.template"].search_read(
            [("active", "=", True)], ["name", "sequence"]
        )
        for vals in empty:
            vals["checklist_ids"] = [
                fields.Command.create(
                    {"name": template["name"], "sequence": template["sequence"]}
                )
                for template in templates
            ]

    def _kam_update_health_score(self):
        """Health score of the account at the review date: the latest health
        snapshot on or before that date when snapshots exist, else the current
        score of the account. The health model is optional here (read it only
        when its fields exist)."""
        if not self or "kam_health_score" not in self.env["res.partner"]._fields:
            return
        scores = {}
        if "kam.health.snapshot" in self.env and {"partner_id", "date", "score"} <= set(
            self.env["kam.health.snapshot"]._fields
        ):
            snapshots = (
                self.env["kam.health.snapshot"]
                .sudo()
                .search_read(
                    [
                        ("partner_id", "in", self.partner_id.ids),
                        ("date", "<=", max(self.mapped("date"))),
                    ],
                    ["partner_id", "date", "score"],
                    order="date desc",
                )
            )
            for review in self:
                for snapshot in snapshots:
                    if (
                        snapshot["partner_id"][0] == review.partner_id.id
                        and fields.Date.to_date(snapshot["date"]) <= review.date
                    ):
                        scores[review.id] = snapshot["score"]
                        break
        for review in self:
            score = scores.get(review.id)
            if score is None:
                score = review.partner_id.sudo().kam_health_score
            review.sudo().health_score = score or 0.0
