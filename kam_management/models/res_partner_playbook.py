from odoo import api, models


# a file of its own (the playbooks), as the partner extension is large already
class ResPartner(models.Model):  # pylint: disable=consider-merging-classes-inherited
    _name = "res.partner"
    _inherit = ["res.partner", "kam.playbook.mixin"]  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("is_key_account")._kam_launch_account_playbooks(
            designated=True
        )
        return partners

    def write(self, vals):
        if "is_key_account" not in vals and "kam_strategy" not in vals:
            return super().write(vals)
        before = {
            partner.id: (partner.is_key_account, partner.kam_strategy)
            for partner in self.sudo()
        }
        result = super().write(vals)
        designated = self.filtered(lambda p: p.is_key_account and not before[p.id][0])
        changed = self.filtered(
            lambda p: p.is_key_account and p.sudo().kam_strategy != before[p.id][1]
        )
        designated._kam_launch_account_playbooks(designated=True)
        (changed - designated)._kam_launch_account_playbooks(designated=False)
        return result

    def _kam_launch_account_playbooks(self, designated):
        """The playbooks of the key accounts of ``self``: the designation's
        when they were just ``designated``, and those of their strategy (given
        with the designation, or changed)."""
        if designated:
            self._kam_launch_playbooks("designation")
        self.filtered(lambda p: p.sudo().kam_strategy)._kam_launch_playbooks(
            lambda p: f"strategy_{p.sudo().kam_strategy}"
        )

    def _kam_playbook_account(self):
        return self.sudo()
