from odoo import api, models
from odoo.osv import expression

KAM_USER_GROUP = "kam_management.group_kam_user"


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        # read before the create: the recipients of a message created without
        # any are not in the cache, and would cost a query to read
        recipients = [bool(vals.get("partner_ids")) for vals in vals_list]
        messages = super().create(vals_list)
        # live stakeholders: the interactions count in this transaction, not at
        # the next daily run (no query unless a stakeholder is involved)
        contact_dates = self.env["kam.interaction"]._kam_message_people(
            messages,
            with_recipients=messages.browse(
                [m.id for m, has in zip(messages, recipients, strict=True) if has]
            ),
        )
        if contact_dates:
            self.env["kam.stakeholder"]._kam_record_interactions(contact_dates)
        return messages

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        hidden = self._kam_hidden_notes_domain()
        if hidden:
            domain = expression.AND([domain, hidden])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _kam_hidden_notes_domain(self):
        """The domain of the messages the user sees, short of the KAM notes of
        key accounts that are not for them: the internal notes written on a key
        account by KAM users or by the system (the handover, the demotion's
        reason, the KAM's notes) are for the programme, not for the employees
        outside it; for a KAM user, not those of a shared account run from
        companies they do not work in (see res.partner's _kam_foreign_shared).
        The employees' own notes, and the notes that name them, stay theirs to
        read; portal users see no internal note anyway (mail's own rule)."""
        user = self.env.user
        if self.env.su or user.share:
            return []
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        # the subqueries below are not flushed with the search: flush them here
        Partner.flush_model(["is_key_account", "company_id", "kam_user_id"])
        self.env["res.users"].flush_model(["company_ids", "groups_id", "partner_id"])
        return [
            "|",
            "|",
            "|",
            "|",
            "|",
            ("model", "!=", "res.partner"),
            ("res_id", "not in", self._kam_accounts_of_hidden_notes(Partner)),
            ("author_id", "not in", self._kam_note_authors(Partner)),
            # a note that names the user (a mention) is theirs to read
            ("partner_ids", "in", user.partner_id.ids),
            # tracking (an email changed…): mail hides the values of the fields
            # the user may not read, the others are everyone's history
            ("tracking_value_ids", "!=", False),
            "&",
            ("is_internal", "=", False),
            ("subtype_id.internal", "=", False),
        ]

    @api.model
    def _kam_accounts_of_hidden_notes(self, Partner):
        """The query of the key accounts whose KAM notes the user may not read:
        every key account outside the programme; for a KAM user, the shared
        accounts whose KAM works in none of the user's companies."""
        if not self.env.user.has_group(KAM_USER_GROUP):
            return Partner._search([("is_key_account", "=", True)])
        staff = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            ._search([("company_ids", "in", self.env.companies.ids)])
        )
        return Partner._search(
            [
                ("company_id", "=", False),
                ("kam_user_id", "!=", False),
                ("kam_user_id", "not in", staff),
            ]
        )

    @api.model
    def _kam_note_authors(self, Partner):
        """The query of the authors of KAM notes: the KAM users and the system."""
        group = self.env.ref(KAM_USER_GROUP)
        return Partner._search(
            [
                "|",
                ("id", "=", self.env.ref("base.partner_root").id),
                ("user_ids", "any", [("groups_id", "in", group.ids)]),
            ]
        )
