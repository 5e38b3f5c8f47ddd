from collections import Counter, defaultdict

from markupsafe import Markup

from odoo import models
from odoo.osv import expression
from odoo.tools import LazyTranslate, groupby

from ..tools.formats import kam_plural
from .kam_escalation import ESCALATION_OPEN_STATES

_lt = LazyTranslate(__name__)

KAM_ROLE = "key_account_manager"
# The records of an account that its Key Account Manager takes over: their open
# activities, and the followers of the open ones (the domain).
KAM_HANDOVER_MODELS = {
    "kam.account.plan": [("state", "in", ("draft", "active"))],
    "kam.account.review": [("state", "=", "draft")],
    "kam.stakeholder": [("active", "=", True), ("departed", "=", False)],
    "kam.escalation": [("state", "in", ESCALATION_OPEN_STATES)],
}


# a file of its own (the handover), as the partner extension is large already
class ResPartner(models.Model):  # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        if "kam_user_id" not in vals:
            return super().write(vals)
        # a clear refusal of a KAM that is no user's id, before it is browsed
        self._kam_check_values([vals])
        former = {partner.id: partner.kam_user_id for partner in self.sudo()}
        new_kam = self.env["res.users"].browse(vals["kam_user_id"] or [])
        handed = self.filtered(lambda p: former[p.id] and former[p.id] != new_kam)
        # what the caller may manage, read before the change makes anyone the
        # KAM (the record rules follow the account's KAM)
        manageable = handed._kam_handover_manageable() if new_kam else {}
        result = super().write(vals)
        if new_kam and handed:
            # the rights to change the KAM are checked (res_partner.py); the
            # handover runs as superuser (the former KAM's activities, followers)
            # but moves only the records the caller may manage
            handed.sudo()._kam_handover(
                {p.id: former[p.id] for p in handed},
                note=self.env.context.get("kam_handover_note"),
                manageable=manageable,
            )
        return result

    def _kam_handover_manageable(self):
        """The records of these accounts that the user may change, by the ids
        ``{model: set(ids)}`` of each model of KAM_HANDOVER_MODELS; None for the
        superuser (all). One access check per model."""
        if self.env.su or not self:
            return None
        records = self.sudo()._kam_handover_records()
        return {
            model: set(model_records.with_env(self.env)._filtered_access("write").ids)
            for model, model_records in records.items()
        }

    # ------------------------------------------------------------
    # Handover (DESIGN section 3)
    # ------------------------------------------------------------
    def _kam_handover(self, former, note=False, manageable=None):
        """Hand the accounts of ``self`` over from their former Key Account
        Manager ``former[account.id]`` to their KAM now: the team's KAM line, the
        stakeholders, open plans and escalations the former KAM owned, their
        open activities on the account's records, the followers, and one note
        in each account's chatter. A few queries per model whatever the number of accounts.

        :param manageable: ``{model: set(ids)}``, the records the user who
            changed the KAM may change (``_kam_handover_manageable``): the others
            stay with the former KAM, with their activities and followers. None:
            all. The team's KAM line follows the designation whoever made it.
        """
        self._kam_handover_team(former)
        records = self._kam_handover_records()
        if manageable is not None:
            records = {
                model: model_records
                & model_records.browse(list(manageable.get(model, ())))
                for model, model_records in records.items()
            }
        stakeholders = self._kam_handover_stakeholders(
            former, records["kam.stakeholder"]
        )
        self._kam_handover_owners(former, records)
        # the followers first: mail.activity's write subscribes the new
        # assignee record by record, and finds them there
        self._kam_handover_followers(former, records)
        activities = self._kam_handover_activities(former, records)
        bodies = {}
        for account in self:
            # each count apart: Babel extracts no translation nested in another's
            handed = {
                "stakeholders": kam_plural(
                    self.env,
                    stakeholders[account.id],
                    _lt("%(count)s stakeholder"),
                    _lt("%(count)s stakeholders"),
                ),
                "activities": kam_plural(
                    self.env,
                    activities[account.id],
                    _lt("%(count)s activity"),
                    _lt("%(count)s activities"),
                ),
            }
            bodies[account.id] = Markup("<p>%s</p>") % self.env._(
                "Key Account Manager changed from %(former)s to %(new)s. Handed "
                "over: %(stakeholders)s and %(activities)s.",
                former=former[account.id].name,
                new=account.kam_user_id.name,
                **handed,
            )
            if note:
                bodies[account.id] += Markup("<p>%s</p>") % note
        self._message_log_batch(bodies=bodies)

    def _kam_handover_team(self, former):
        """The KAM line of each account's team moves to the new KAM (who keeps
        their line, now as KAM, if already on the team); a former KAM on the team
        in another role stays there."""
        Member = self.env["kam.team.member"]
        team = defaultdict(dict)
        for line in Member.search_fetch(
            [("partner_id", "in", self.ids)], ["partner_id", "user_id", "role"]
        ):
            team[line.partner_id.id][line.user_id] = line
        moving, dropped, promoted, created = Member, Member, Member, []
        for account in self:
            old_line = team[account.id].get(former[account.id], Member)
            old_line = old_line.filtered(lambda line: line.role == KAM_ROLE)
            new_line = team[account.id].get(account.kam_user_id)
            if new_line:
                dropped |= old_line
                promoted |= new_line.filtered(lambda line: line.role != KAM_ROLE)
            elif old_line:
                moving |= old_line
            else:
                created.append(
                    {
                        "partner_id": account.id,
                        "user_id": account.kam_user_id.id,
                        "role": KAM_ROLE,
                    }
                )
        dropped.unlink()
        for kam, lines in groupby(moving, key=lambda line: line.partner_id.kam_user_id):
            Member.union(*lines).write({"user_id": kam.id})
        promoted.write({"role": KAM_ROLE})
        Member.create(created)

    def _kam_handover_stakeholders(self, former, stakeholders):
        """The ``stakeholders`` (of these accounts, archived ones included) the
        former KAM owned go to the new KAM.

        :return: Counter {account_id: number of stakeholders handed over}
        """
        Stakeholder = self.env["kam.stakeholder"].with_context(active_test=False)
        owned = stakeholders.filtered(lambda s: s.owner_id == former[s.partner_id.id])
        for kam, stakeholders in groupby(owned, key=lambda s: s.partner_id.kam_user_id):
            Stakeholder.union(*stakeholders).write({"owner_id": kam.id})
        return Counter(stakeholder.partner_id.id for stakeholder in owned)

    def _kam_handover_records(self):
        """The records of the accounts of ``self`` (archived ones included),
        with what the handover reads of them: ``{model: records}``."""
        records = {}
        for model, domain in KAM_HANDOVER_MODELS.items():
            Model = self.env[model].with_context(active_test=False)
            owner = Model._fields.get("user_id")
            fnames = ["partner_id", *(leaf[0] for leaf in domain)]
            records[model] = Model.search_fetch(
                [("partner_id", "in", self.ids)],
                [*fnames, "user_id"] if owner and owner.store else fnames,
            )
        return records

    def _kam_handover_owners(self, former, records):
        """The open records the former KAM owned (plans, escalations) go to the
        new KAM: their reminders follow their owner."""
        for model, model_records in records.items():
            owner = model_records._fields.get("user_id")
            if not owner or not owner.store:
                continue
            owned = model_records.filtered_domain(KAM_HANDOVER_MODELS[model]).filtered(
                lambda r: r.user_id == former[r.partner_id.id]
            )
            for kam, group in groupby(owned, key=lambda r: r.partner_id.kam_user_id):
                model_records.union(*group).write({"user_id": kam.id})

    def _kam_handover_activities(self, former, records):
        """The open activities of the former KAM on the account's ``records``
        ``{model: records}`` go to the new KAM (without one e-mail per activity:
        the account's note tells).

        :return: Counter {account_id: number of activities handed over}
        """
        account_of = {
            (model, record.id): record.partner_id
            for model, model_records in records.items()
            for record in model_records
        }
        if not account_of:
            return Counter()
        Activity = self.env["mail.activity"]
        activities = Activity.search_fetch(
            expression.AND(
                [
                    self._kam_handover_records_domain(records),
                    [("user_id", "in", [user.id for user in former.values()])],
                ]
            ),
            ["res_model", "res_id", "user_id"],
        ).filtered(lambda a: a.user_id == former[account_of[a.res_model, a.res_id].id])
        for kam, moved in groupby(
            activities, key=lambda a: account_of[a.res_model, a.res_id].kam_user_id
        ):
            Activity.union(*moved).with_context(mail_activity_quick_update=True).write(
                {"user_id": kam.id}
            )
        return Counter(account_of[a.res_model, a.res_id].id for a in activities)

    def _kam_handover_followers(self, former, records):
        """The new KAM follows the open ``records`` of the account; the former
        KAM stops following them, unless still on the team. mail's own
        ``_message_subscribe`` (default subtypes, existing followers kept), one
        call per model and new KAM; one search and one unlink for the leaving."""
        open_records = {
            model: model_records.filtered_domain(KAM_HANDOVER_MODELS[model])
            for model, model_records in records.items()
        }
        if not any(open_records.values()):
            return
        leaving = []
        for model_records in open_records.values():
            for kam, group in groupby(
                model_records, key=lambda r: r.partner_id.kam_user_id
            ):
                if kam:
                    model_records.union(*group)._message_subscribe(kam.partner_id.ids)
            leaving += [
                (record._name, record.id, former[record.partner_id.id].partner_id.id)
                for record in model_records
                if former[record.partner_id.id]
                not in record.partner_id.kam_team_member_ids.user_id
            ]
        if not leaving:
            return
        Followers = self.env["mail.followers"]
        followers = Followers.search_fetch(
            expression.AND(
                [
                    self._kam_handover_records_domain(open_records),
                    [("partner_id", "in", list({row[2] for row in leaving}))],
                ]
            ),
            ["res_model", "res_id", "partner_id"],
        )
        leaving = set(leaving)
        followers.filtered(
            lambda f: (f.res_model, f.res_id, f.partner_id.id) in leaving
        ).unlink()

    def _kam_handover_records_domain(self, records):
        """The domain of mail.activity / mail.followers on ``records``
        ``{model: records}``."""
        return expression.OR(
            [
                [("res_model", "=", model), ("res_id", "in", model_records.ids)]
                for model, model_records in records.items()
                if model_records
            ]
        )
