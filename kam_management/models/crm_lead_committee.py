from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_list

from .res_partner import KAM_USER_GROUP

# Who can say yes to the deal: the decision maker, or the economic buyer, who
# holds the budget and signs it off (in the buying centre the final approval is
# theirs even where nobody is mapped as "decision maker").
COMMITTEE_DECIDING_ROLES = ("decision_maker", "economic_buyer")
# Who can stop the deal: the role says it, or the attitude does.
COMMITTEE_BLOCKING_ROLES = ("blocker",)
COMMITTEE_BLOCKING_ATTITUDES = ("opponent",)


# a file of its own (the buying committee, DESIGN section 15)
class CrmLead(models.Model):  # pylint: disable=consider-merging-classes-inherited
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # Stakeholder data: for KAM users only, as the stakeholders themselves (a
    # salesman outside the programme reads his opportunities, not who is who
    # at the customer's).
    kam_stakeholder_ids = fields.Many2many(
        "kam.stakeholder",
        "crm_lead_kam_stakeholder_rel",
        "lead_id",
        "stakeholder_id",
        string="Buying Committee",
        check_company=True,
        # a copy reads every copied field: a salesman duplicates opportunities
        copy=False,
        domain="[('partner_id', '=', kam_account_id), ('departed', '=', False)]",
        help="The stakeholders of the key account who take part in this buying "
        "decision.",
        groups=KAM_USER_GROUP,
    )
    kam_committee_no_decision_maker = fields.Boolean(
        string="Committee Without Decision Maker",
        compute="_compute_kam_committee_warnings",
        help="The buying committee is mapped but nobody on it can say yes: no "
        "decision maker nor economic buyer.",
        groups=KAM_USER_GROUP,
    )
    kam_committee_has_blocker = fields.Boolean(
        string="Blocker on the Committee",
        compute="_compute_kam_committee_warnings",
        help="Someone on the buying committee is a blocker or opposes us.",
        groups=KAM_USER_GROUP,
    )

    @api.depends(
        "kam_stakeholder_ids.role",
        "kam_stakeholder_ids.attitude",
        "kam_stakeholder_ids.departed",
    )
    def _compute_kam_committee_warnings(self):
        for lead in self:
            # those who left the account decide and block nothing any more
            committee = lead.kam_stakeholder_ids.filtered(lambda s: not s.departed)
            mapped = bool(lead.kam_stakeholder_ids)
            lead.kam_committee_no_decision_maker = mapped and not any(
                s.role in COMMITTEE_DECIDING_ROLES for s in committee
            )
            lead.kam_committee_has_blocker = any(
                s.role in COMMITTEE_BLOCKING_ROLES
                or s.attitude in COMMITTEE_BLOCKING_ATTITUDES
                for s in committee
            )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Odoo checks a field's groups in a domain on stored columns, not on a
        # many2many: a salesman would find which opportunities have a committee,
        # and with whom
        if not self.env.su and any(
            isinstance(leaf, list | tuple)
            and str(leaf[0]).split(".")[0] == "kam_stakeholder_ids"
            for leaf in domain or []
        ):
            self.check_field_access_rights("read", ["kam_stakeholder_ids"])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def write(self, vals):
        if "partner_id" in vals:
            # the value may be a record (Odoo's write takes one for a many2one)
            partner = self.env["res.partner"].browse(
                self._fields["partner_id"].convert_to_cache(vals["partner_id"], self)
            )
            self._kam_drop_committee(partner.kam_account_id)
        return super().write(vals)

    def _kam_drop_committee(self, account):
        """The customer of the opportunities of ``self`` moves to ``account``
        (another account, a company outside the programme or none): the buying
        committee of their previous account goes with it, and a note in their
        chatter says so. The salesman who changes the customer may not read the
        committee (sudo), nor could he remove it himself."""
        leads = self.sudo()
        dropped = leads.kam_stakeholder_ids.filtered(lambda s: s.partner_id != account)
        if not dropped:
            return
        leads = leads.filtered(lambda lead: lead.kam_stakeholder_ids & dropped)
        # the previous accounts, read before the committees go
        previous = {
            lead.id: (lead.kam_stakeholder_ids & dropped).partner_id for lead in leads
        }
        leads.write({"kam_stakeholder_ids": [Command.unlink(s.id) for s in dropped]})
        leads._message_log_batch(
            {
                lead_id: Markup("<p>%s</p>")
                % self.env._(
                    "The customer no longer counts for %(account)s: its stakeholders "
                    "were removed from the buying committee.",
                    account=format_list(self.env, accounts.mapped("display_name")),
                )
                for lead_id, accounts in previous.items()
            }
        )

    @api.constrains("kam_stakeholder_ids", "partner_id")
    def _check_kam_stakeholder_account(self):
        # sudo: the salesman who changes the customer may not read stakeholders
        for lead in self.sudo().filtered("kam_stakeholder_ids"):
            foreign = lead.kam_stakeholder_ids.filtered(
                lambda s, account=lead.kam_account_id: s.partner_id != account
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "The buying committee of the opportunity %(lead)s is made "
                        "of stakeholders of its customer: %(stakeholder)s is a "
                        "stakeholder of %(account)s.",
                        lead=lead.name,
                        stakeholder=foreign[0].contact_id.name,
                        account=foreign[0].partner_id.display_name,
                    )
                )
