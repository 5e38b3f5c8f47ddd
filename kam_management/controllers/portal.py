from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PLAN_HISTORY_KEY = "my_kam_plans_history"


class KamCustomerPortal(CustomerPortal):
    """The joint account plans on the customer portal: the plans a key account's
    contacts may read (record rules: shared plans of their company), rendered
    from whitelisted fields only (see the templates)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kam_plan_count" in counters:
            Plan = request.env["kam.account.plan"]
            values["kam_plan_count"] = (
                Plan.search_count(self._kam_plans_domain())
                if Plan.has_access("read")
                else 0
            )
        return values

    def _kam_plans_domain(self):
        partner = request.env.user.partner_id
        return [
            ("portal_shared", "=", True),
            ("partner_id", "=", partner.commercial_partner_id.id),
        ]

    @http.route(
        ["/my/account-plans", "/my/account-plans/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_kam_plans(self, page=1, **kwargs):
        Plan = request.env["kam.account.plan"]
        domain = self._kam_plans_domain()
        pager = portal_pager(
            url="/my/account-plans",
            total=Plan.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        plans = Plan.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session[PLAN_HISTORY_KEY] = plans.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo after the search under the record rules: the templates
                # read the whitelisted fields only
                "plans": plans.sudo(),
                "page_name": "kam_plan",
                "pager": pager,
                "default_url": "/my/account-plans",
            }
        )
        return request.render("kam_management.portal_my_kam_plans", values)

    @http.route(
        ["/my/account-plans/<int:plan_id>"], type="http", auth="public", website=True
    )
    def portal_my_kam_plan(self, plan_id, access_token=None, **kwargs):
        try:
            plan_sudo = self._document_check_access(
                "kam.account.plan", plan_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        # a link opens a shared plan only: a plan not shared (a preview) is
        # for the users who read it with their own rights
        if not plan_sudo._kam_may_open_on_portal(request.env.user):
            return request.redirect("/my")
        values = self._kam_plan_page_values(plan_sudo, access_token, **kwargs)
        return request.render("kam_management.portal_my_kam_plan", values)

    def _kam_plan_page_values(self, plan_sudo, access_token, **kwargs):
        # The objectives the customer sees: those shared one by one (the plan
        # is read with sudo, so its objectives are filtered here, as the
        # portal record rule does for a reader without sudo).
        values = {
            "plan": plan_sudo,
            "objectives": plan_sudo.objective_ids.filtered("portal_shared"),
            "actions": plan_sudo.action_ids,
            "actions_to_mark": plan_sudo.action_ids._kam_portal_may_mark_done(
                request.env.user
            ),
            "page_name": "kam_plan",
            "message": kwargs.get("message"),
        }
        return self._get_page_view_values(
            plan_sudo, access_token, values, PLAN_HISTORY_KEY, False, **kwargs
        )

    @http.route(
        ["/my/account-plans/<int:plan_id>/actions/<int:action_id>/done"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_kam_plan_action_done(self, plan_id, action_id, **kwargs):
        """An open action on the customer's side marked done: by the customer
        contact who owns it (or any contact of the account for an action
        owned by no one) on a plan shared with their company, or by a user who
        may change the plan (see ``_kam_portal_may_mark_done``). Anyone else
        gets the page back, and nothing is written."""
        try:
            plan_sudo = self._document_check_access("kam.account.plan", plan_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        action_sudo = plan_sudo.action_ids.filtered(
            lambda a: a.id == action_id
        )._kam_portal_may_mark_done(request.env.user)
        # the user reads the plan with their rights: no link (access token)
        page_url = plan_sudo.access_url
        if not action_sudo:
            return request.redirect(page_url)
        action_sudo.state = "done"
        # as superuser (the portal's reading): the user comments on the plan,
        # without following it
        plan_sudo.with_context(mail_create_nosubscribe=True).message_post(
            body=request.env._("Action done: %(action)s", action=action_sudo.name),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return request.redirect(f"{page_url}?message=done")
