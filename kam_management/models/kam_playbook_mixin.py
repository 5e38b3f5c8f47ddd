from collections import Counter, defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_date


class KamPlaybookMixin(models.AbstractModel):
    """Records a playbook is launched on by itself (DESIGN §15): key accounts,
    their escalations and their reviews. A playbook is an activity plan with a
    trigger (``mail.activity.plan.kam_trigger``)."""

    _name = "kam.playbook.mixin"
    _description = "Record with Playbooks"

    def _kam_playbook_account(self):
        """The key account of the record (as superuser: its team and KAM give
        the steps their responsible, whoever launches the playbook)."""
        return self.sudo().mapped(self._kam_account_path)

    def _kam_playbook_date(self):
        """The date the steps of a playbook launched on the record are counted
        from: the day of the launch."""
        return fields.Date.context_today(self)

    def _kam_launch_playbooks(self, trigger):
        """Launch the active playbooks of ``trigger`` (a trigger, or a function
        giving a record's trigger) on the records of ``self``: those of the
        record's company (the current one for a record without company) or of
        no company. Their steps are created together, in the language of their
        responsible, a note in each record's chatter lists them: a few queries
        per batch of steps, none per record."""
        if not self or self.env.context.get("mail_activity_automation_skip"):
            return
        triggers = {
            record.id: trigger(record) if callable(trigger) else trigger
            for record in self
        }
        companies = {
            record.id: record.company_id or self.env.company for record in self
        }
        plans = (
            self.env["mail.activity.plan"]
            .sudo()
            .search(
                [
                    ("kam_trigger", "in", list(set(triggers.values()))),
                    ("res_model", "=", self._name),
                    ("template_ids", "!=", False),
                    (
                        "company_id",
                        "in",
                        [False, *{company.id for company in companies.values()}],
                    ),
                ],
                order="id",
            )
        )
        launches = [
            (record, plan)
            for record in self
            for plan in plans
            if plan.kam_trigger == triggers[record.id]
            and plan.company_id in (companies[record.id], plan.company_id.browse())
        ]
        if launches:
            self._kam_schedule_steps(launches)

    def _kam_schedule_steps(self, launches):
        """Create the steps of the ``[(record, plan)]`` launches in one batch,
        and log each record's launches in its chatter."""
        # the user who caused the event answers the steps asked at launch;
        # for a scheduled action, the account's KAM
        launcher = self.env.user if not self.env.user._is_superuser() else None
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        steps = defaultdict(list)  # record: [(plan, template, responsible, date)]
        for record, plan in launches:
            on_demand = launcher or record._kam_playbook_account().kam_user_id
            base_date = record._kam_playbook_date()
            for template in plan.template_ids:
                # nobody (no KAM, a scheduled action): the current user, as
                # activity_schedule does
                responsible = (
                    template._determine_responsible(on_demand, record)["responsible"]
                    or self.env.user
                )
                deadline = template._get_date_deadline(base_date)
                vals_list.append(
                    {
                        **template._kam_step_values(responsible),
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "user_id": responsible.id,
                        "date_deadline": deadline,
                    }
                )
                steps[record].append((plan, template, responsible, deadline))
        self._kam_create_steps(vals_list)
        self._kam_log_playbooks(steps)

    def _kam_create_steps(self, vals_list):
        """Create the activities of ``vals_list`` in as few batches as can be:
        mail.activity's create subscribes each responsible to their records
        (once per responsible) and inserts a follower twice when two of the
        activities it creates on a record are the same person's. A batch holds
        one step per record and responsible at most: as many batches as the
        most steps a person gets on one record."""
        batches = []
        counts = Counter()
        for vals in vals_list:
            key = (vals["res_id"], vals["user_id"])
            if counts[key] == len(batches):
                batches.append([])
            batches[counts[key]].append(vals)
            counts[key] += 1
        # no email per step (a strategy changed on hundreds of accounts would
        # send as many): the steps are in their responsible's activities
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        for batch in batches:
            Activity.create(batch)

    def _kam_log_playbooks(self, steps):
        """One note per record listing the playbooks launched on it and their
        steps, in the language of the account's KAM (who reads it)."""
        bodies = {}
        lines = {}  # the same step, responsible and date on many records
        for record, record_steps in steps.items():
            lang = record._kam_playbook_account().kam_user_id.lang or self.env.lang
            env = self.with_context(lang=lang).env
            by_plan = defaultdict(list)
            for plan, template, responsible, deadline in record_steps:
                key = (lang, template, responsible, deadline)
                if key not in lines:
                    lines[key] = self._kam_step_line(
                        env, template, responsible, deadline
                    )
                by_plan[plan].append(lines[key])
            bodies[record.id] = Markup().join(
                Markup("<p>%s</p><ul>%s</ul>")
                % (
                    env._(
                        'Playbook "%(plan)s" launched:',
                        plan=plan.with_context(lang=lang).name,
                    ),
                    Markup().join(plan_lines),
                )
                for plan, plan_lines in by_plan.items()
            )
        self.browse(list(bodies))._message_log_batch(bodies=bodies)

    def _kam_step_line(self, env, template, responsible, deadline):
        """The line of a step in the note of its launch, in the language of
        ``env`` (the playbooks are read as superuser: configuration, launched
        whoever caused the event)."""
        lang = env.lang
        return Markup("<li>%s</li>") % env._(
            "%(step)s, assigned to %(user)s, due on %(date)s",
            step=template.with_context(lang=lang).summary
            or template.activity_type_id.with_context(lang=lang).name,
            user=responsible.name,
            date=format_date(env, deadline),
        )

    def _kam_playbook_activities(self):
        """The open steps of the playbooks launched on the records."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("kam_playbook_id", "!=", False),
            ]
        )
