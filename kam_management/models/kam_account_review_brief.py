from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import run_in_batches

# Without a previous review, the brief looks back this many days.
BRIEF_DEFAULT_DAYS = 90
# The health factors the brief names: those that moved the score most.
BRIEF_FACTORS = 3
# A factor whose share of the score moved less than this (points) did not move.
BRIEF_FACTOR_MIN_POINTS = 0.05
# The stakeholder fields whose tracked changes the brief reads.
BRIEF_TRACKED_FIELDS = ("attitude", "departed", "active")
BRIEF_TEMPLATE_XMLID = "kam_management.mail_template_kam_review_brief"
KAM_USER_GROUP_XMLID = "kam_management.group_kam_user"


class KamAccountReview(models.Model):
    _inherit = "kam.account.review"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------
    participant_ids = fields.Many2many(
        "res.partner",
        "kam_account_review_participant_rel",
        "review_id",
        "partner_id",
        string="Participants",
        compute="_compute_participant_ids",
        store=True,
        readonly=False,
        precompute=True,
        help="The people invited to the review: the plan owner and the account "
        "team (the Key Account Management users of the plan's company) by "
        "default, and the customer's people. The brief is emailed before the "
        "meeting to the participants who may read the review.",
    )
    brief_sent_date = fields.Datetime(
        string="Brief Sent On",
        readonly=True,
        copy=False,
        help="When the brief was emailed to the participants; it is sent once.",
    )
    objective_progress = fields.Json(
        string="Objectives' Progress at the Review",
        readonly=True,
        copy=False,
        help="The progress of the plan's objectives when the review was done "
        "(objective id: progress), the baseline of the next review's brief.",
    )

    @api.depends("plan_id")
    def _compute_participant_ids(self):
        for review in self:
            plan = review.plan_id.sudo()
            users = self._kam_brief_audience(
                plan.user_id | plan.partner_id.kam_team_member_ids.user_id,
                plan.company_id,
            )
            review.participant_ids = [Command.set(users.partner_id.ids)]

    @api.model
    def _kam_brief_audience(self, users, company):
        """The users among ``users`` who may get the brief of a review of
        ``company``: Key Account Management users (the printed brief refuses
        anyone else: a plain employee of the account team reads no health nor
        margin) who work in the company (on a shared account, the team of
        another company must not get this company's figures)."""
        return users.sudo().filtered(
            lambda user: user.has_group(KAM_USER_GROUP_XMLID)
            and company in user.company_ids
        )

    def _kam_computed_origin(self, fname):
        if fname == "brief_sent_date":
            return self.env._("the sending of the brief")
        if fname == "objective_progress":
            return self.env._("the objectives when the review is done")
        return super()._kam_computed_origin(fname)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_done(self):
        res = super().action_done()
        # the baseline of the next brief: what the objectives reached
        for review in self.sudo():
            review.objective_progress = {
                str(objective.id): objective.progress
                for objective in review.plan_id.objective_ids
            }
        return res

    def action_kam_print_brief(self):
        """Print the brief of the review."""
        return self.env.ref("kam_management.action_report_review_brief").report_action(
            self
        )

    # ------------------------------------------------------------
    # The brief
    # ------------------------------------------------------------
    def _kam_review_brief(self):
        """What changed on the account since its previous review, as a plain
        dict the printed brief renders (labels in the language of the
        environment, figures as numbers, dates as dates).

        The period runs from the previous review held (done) of the account,
        else from ``BRIEF_DEFAULT_DAYS`` days before the review, to the review
        (today for a review to come). The brief is the account's summary for
        those who may read the review: read whole once that is checked."""
        self.ensure_one()
        self.check_access("read")
        review = self.sudo()
        previous = review._kam_previous_review()
        today = review.company_id._kam_today()
        date_to = min(review.date, today)
        date_from = (
            previous.date
            if previous
            else review.date - timedelta(days=BRIEF_DEFAULT_DAYS)
        )
        company = review.company_id
        # the datetimes of the period's days, in the programme's time zone
        bounds = (
            company._kam_day_start(date_from),
            company._kam_day_start(date_to + timedelta(days=1)),
        )
        return {
            "review_id": review.id,
            "account": review.partner_id.name,
            "plan": review.plan_id.name,
            "date": review.date,
            "previous_review_id": previous.id,
            "previous_date": previous.date,
            "date_from": date_from,
            "date_to": date_to,
            "participants": review.participant_ids.mapped("name"),
            "health": review._kam_brief_health(date_from, date_to),
            "economics": review._kam_brief_economics(date_from, date_to),
            "stakeholders": review._kam_brief_stakeholders(bounds),
            "escalations": review._kam_brief_escalations(bounds),
            "objectives": review._kam_brief_objectives(previous),
            "opportunities": review._kam_brief_opportunities(bounds),
        }

    def _kam_previous_review(self):
        """The latest review of the account held (done) before this one in the
        review's company. Of the company, not of the plan: an account has one
        active plan at a time, so the company's plans follow one another and
        the first review of a new plan starts where the last review of the
        previous plan left off (its objectives, not this plan's, have no
        baseline). Never of another company's plan on a shared account: its
        team, figures and objectives are not this company's."""
        return self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("date", "<", self.date),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def _kam_brief_labels(self, model, fname):
        """``{code: label}`` of a selection, in the language of the env."""
        return dict(self.env[model]._fields[fname]._description_selection(self.env))

    def _kam_brief_health(self, date_from, date_to):
        """The health snapshots at both ends of the period (the latest on or
        before each date) and the factors whose share of the score moved most:
        a factor's share is its score times its renormalised weight."""
        Snapshot = self.env["kam.health.snapshot"]
        ends = [
            Snapshot.search(
                [("partner_id", "=", self.partner_id.id), ("date", "<=", day)],
                order="date desc",
                limit=1,
            )
            for day in (date_from, date_to)
        ]
        bands = self._kam_brief_labels("kam.health.snapshot", "band")
        before, after = (
            {"date": s.date, "score": s.score, "band": bands.get(s.band, "")}
            if s
            else None
            for s in ends
        )
        return {
            "before": before,
            "after": after,
            "delta": after["score"] - before["score"] if before and after else None,
            "factors": self._kam_brief_factors(*ends) if all(ends) else [],
        }

    def _kam_brief_factors(self, before, after):
        def shares(snapshot):
            return {
                line.factor_id: (line.score, line.score * line.weight / 100, line)
                for line in snapshot.line_ids
                if line.has_data
            }

        old, new = shares(before), shares(after)
        moves = []
        for factor in old.keys() | new.keys():
            old_score, old_share, __ = old.get(factor, (None, 0.0, None))
            new_score, new_share, line = new.get(factor, (None, 0.0, None))
            points = new_share - old_share
            if abs(points) >= BRIEF_FACTOR_MIN_POINTS:
                moves.append(
                    {
                        "factor": factor.name,
                        "code": factor.code,
                        "before": old_score,
                        "after": new_score,
                        "points": points,
                        "evidence": line.evidence if line else "",
                    }
                )
        moves.sort(key=lambda move: (-abs(move["points"]), move["code"] or ""))
        return moves[:BRIEF_FACTORS]

    def _kam_brief_economics(self, date_from, date_to):
        """Revenue and margin of the 12 months up to each end of the period, as
        the account's economics define them (``kam.account.economics``), in the
        currency of the review's company; no margin (None) where no cost is
        known."""
        Economics = self.env["kam.account.economics"].with_context(
            kam_currency_company_id=self.company_id.id
        )
        account = self.partner_id.id

        def figures(day):
            data = Economics._kam_economics([account], day).get(account, {})
            has_margin = data.get("has_margin")
            return {
                "revenue": data.get("revenue", 0.0),
                "margin": data["margin"] if has_margin else None,
                "margin_percent": data["margin_percent"] if has_margin else None,
            }

        before, after = figures(date_from), figures(date_to)
        return {
            "currency_id": self.company_id.currency_id.id,
            "before": before,
            "after": after,
            "revenue_delta": after["revenue"] - before["revenue"],
        }

    def _kam_brief_stakeholders(self, bounds):
        """Stakeholders mapped in the period, those who left (departed or
        archived, and still so) and those whose attitude changed (from the
        first tracked value of the period to the last), from the tracking of
        their chatter: one query for the stakeholders, one for the changes."""
        start, end = bounds
        stakeholders = (
            self.env["kam.stakeholder"]
            .with_context(active_test=False)
            .search([("partner_id", "=", self.partner_id.id)])
        )
        roles = self._kam_brief_labels("kam.stakeholder", "role")
        attitudes = self._kam_brief_labels("kam.stakeholder", "attitude")

        def entry(stakeholder, **values):
            return {
                "id": stakeholder.id,
                "name": stakeholder.contact_id.name,
                "role": roles.get(stakeholder.role, ""),
                "attitude": attitudes.get(stakeholder.attitude, ""),
                **values,
            }

        changes = self._kam_brief_stakeholder_changes(stakeholders, bounds)
        left, changed = [], []
        for stakeholder in stakeholders:
            change = changes.get(stakeholder.id, {})
            gone = stakeholder.departed or not stakeholder.active
            if gone and change.get("left"):
                left.append(entry(stakeholder, date=change["left"]))
            old, new = change.get("attitude", (None, None))
            if old != new:
                changed.append(
                    entry(
                        stakeholder,
                        before=attitudes.get(old, old or ""),
                        after=attitudes.get(new, new or ""),
                    )
                )
        joined = [
            entry(stakeholder, date=stakeholder.create_date.date())
            for stakeholder in stakeholders
            if start <= stakeholder.create_date < end
        ]
        return {"joined": joined, "left": left, "attitude": changed}

    def _kam_brief_stakeholder_changes(self, stakeholders, bounds):
        """``{stakeholder id: {"left": date, "attitude": (old code, new
        code)}}`` from the tracked changes of the period, oldest first."""
        field_ids = self.env["ir.model.fields"]._get_ids("kam.stakeholder")
        field_names = {field_ids[fname]: fname for fname in BRIEF_TRACKED_FIELDS}
        trackings = self.env["mail.tracking.value"].search(
            [
                ("field_id", "in", list(field_names)),
                ("mail_message_id.model", "=", "kam.stakeholder"),
                ("mail_message_id.res_id", "in", stakeholders.ids),
                ("mail_message_id.date", ">=", bounds[0]),
                ("mail_message_id.date", "<", bounds[1]),
            ],
            order="id",
        )
        codes = self._kam_brief_attitude_codes()
        changes = {}
        for tracking in trackings:
            message = tracking.mail_message_id
            change = changes.setdefault(message.res_id, {})
            fname = field_names[tracking.field_id.id]
            if fname == "attitude":
                old = change.get("attitude", (None,))[0]
                if old is None:
                    old = codes.get(tracking.old_value_char, tracking.old_value_char)
                new = codes.get(tracking.new_value_char, tracking.new_value_char)
                change["attitude"] = (old, new)
            elif (fname == "departed") == bool(tracking.new_value_integer):
                # departed set, or archived (active unset)
                change["left"] = message.date.date()
        return changes

    def _kam_brief_attitude_codes(self):
        """``{label: code}`` of the attitudes in every installed language: mail
        tracks a selection by its label, in the language of whoever changed it."""
        field = self.env["kam.stakeholder"]._fields["attitude"]
        codes = {}
        for lang, __ in self.env["res.lang"].get_installed():
            env = self.with_context(lang=lang).env
            codes.update(
                (label, code) for code, label in field._description_selection(env)
            )
        return codes

    def _kam_brief_escalations(self, bounds):
        """Escalations of the account opened and closed (resolved or cancelled)
        in the period: one query."""
        start, end = bounds
        escalations = self.env["kam.escalation"].search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                "|",
                "&",
                ("create_date", ">=", start),
                ("create_date", "<", end),
                "&",
                ("date_closed", ">=", start),
                ("date_closed", "<", end),
            ],
            order="create_date, id",
        )
        labels = {
            fname: self._kam_brief_labels("kam.escalation", fname)
            for fname in ("reason", "severity", "state")
        }

        def entry(escalation, day):
            return {
                "id": escalation.id,
                "name": escalation.name,
                "date": day.date(),
                **{
                    fname: names.get(escalation[fname], "")
                    for fname, names in labels.items()
                },
            }

        return {
            "opened": [
                entry(e, e.create_date)
                for e in escalations
                if start <= e.create_date < end
            ],
            "closed": [
                entry(e, e.date_closed)
                for e in escalations
                if e.date_closed and start <= e.date_closed < end
            ],
        }

    def _kam_brief_objectives(self, previous):
        """The plan's objectives: their progress now and at the previous review
        (None for an objective set since, or a review done without the
        record)."""
        baseline = previous.objective_progress or {}
        statuses = self._kam_brief_labels("kam.account.plan.objective", "status")
        objectives = []
        for objective in self.plan_id.objective_ids:
            before = baseline.get(str(objective.id))
            objectives.append(
                {
                    "id": objective.id,
                    "name": objective.name,
                    "progress": objective.progress,
                    "before": before,
                    "delta": objective.progress - before
                    if before is not None
                    else None,
                    "status": statuses.get(objective.status, ""),
                    "deadline": objective.deadline,
                }
            )
        return objectives

    def _kam_brief_opportunities(self, bounds):
        """Opportunities of the account (and its contacts) won or lost in the
        period, lost meaning archived at probability 0 (crm's "lost"): one
        query."""
        start, end = bounds
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [
                    ("kam_account_id", "=", self.partner_id.id),
                    ("type", "=", "opportunity"),
                    ("company_id", "in", [self.company_id.id, False]),
                    ("date_closed", ">=", start),
                    ("date_closed", "<", end),
                ],
                order="date_closed, id",
            )
        )

        def entry(lead):
            return {
                "id": lead.id,
                "name": lead.name,
                "date": lead.date_closed.date(),
                "amount": lead.expected_revenue,
                "currency_id": lead.company_currency.id,
                "lost_reason": lead.lost_reason_id.name or "",
            }

        return {
            "won": [
                entry(lead) for lead in leads if lead.active and lead.stage_id.is_won
            ],
            "lost": [
                entry(lead)
                for lead in leads
                if not lead.active and not lead.probability
            ],
        }

    # ------------------------------------------------------------
    # Sending the brief
    # ------------------------------------------------------------
    @api.model
    def _kam_brief_due_domain(self):
        """Reviews to hold within the review reminder window of their company
        (the plans' reminder: ``kam_review_reminder_days``) whose brief is not
        sent yet, of active plans, with participants."""
        company_domains = []
        for company in self.env["res.company"].sudo().search([]):
            today = company._kam_today()
            company_domains.append(
                [
                    ("company_id", "=", company.id),
                    ("date", ">=", today),
                    (
                        "date",
                        "<=",
                        today + timedelta(days=company.kam_review_reminder_days),
                    ),
                ]
            )
        return expression.AND(
            [
                [
                    ("state", "=", "draft"),
                    ("brief_sent_date", "=", False),
                    ("plan_id.state", "=", "active"),
                    ("participant_ids", "!=", False),
                ],
                expression.OR(company_domains),
            ]
        )

    @api.model
    def _kam_send_due_briefs(self, batch_size=50):
        """Email the brief of every review due (see ``_kam_brief_due_domain``),
        once: a batch marks its reviews sent in the transaction that queues
        their emails, committed per batch in the scheduled action."""
        run_in_batches(
            self.env,
            self.sudo().search(self._kam_brief_due_domain()).ids,
            lambda ids: self.sudo().browse(ids)._kam_send_briefs(),
            batch_size,
            "Review briefs",
        )

    def _kam_send_briefs(self):
        """Queue the brief of each review to its participants who are users of
        the company, one email per language with the brief printed in it, and
        mark the reviews sent. The reviews are locked first, and those another
        run sent or is sending skipped: never two briefs for one review."""
        self.flush_recordset(["brief_sent_date"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM kam_account_review WHERE id = ANY(%s)"
                " AND brief_sent_date IS NULL FOR NO KEY UPDATE SKIP LOCKED",
                self.ids,
            )
        )
        reviews = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not reviews:
            return
        template = self.env.ref(BRIEF_TEMPLATE_XMLID)
        recipients = reviews._kam_brief_recipients()
        for review in reviews:
            for lang, partners in recipients[review.id].grouped("lang").items():
                template.with_context(lang=lang or self.env.lang).send_mail(
                    review.id,
                    email_values={"recipient_ids": [Command.set(partners.ids)]},
                )
        reviews.brief_sent_date = fields.Datetime.now()

    def _kam_brief_recipients(self):
        """``{review id: partners}``: the participants each review's brief is
        emailed to. The brief tells the account's health, margin and the
        attitude of its people: only to the users of the audience (see
        ``_kam_brief_audience``) who may read the review, as its printing
        checks; never to the customer's participants. A participant left out
        stays invited, without the brief. One query for the users, then one
        access check per user for all their reviews."""
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "in", self.participant_ids.ids)])
        )
        reviews_of = defaultdict(lambda: self.browse())
        for review in self:
            invited = users.filtered(
                lambda u, r=review: u.partner_id in r.participant_ids
            )
            for user in self._kam_brief_audience(invited, review.company_id):
                reviews_of[user] |= review
        recipients = defaultdict(lambda: self.env["res.partner"])
        for user, reviews in reviews_of.items():
            readable = reviews.with_user(user).with_context(
                allowed_company_ids=user.company_ids.ids
            )
            # has_access("read") of each review, checked at once
            for review in readable._filtered_access("read"):
                recipients[review.id] |= user.partner_id
        return recipients
