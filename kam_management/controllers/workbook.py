import re

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

from ..wizard.kam_xlsx_export import (
    MAX_SELECTED_ACCOUNTS,
    XLSX_MIMETYPE,
)

# The largest id PostgreSQL's integer columns hold: a larger one is no record.
MAX_ID = 2**31 - 1


class KamWorkbook(http.Controller):
    """The key account workbooks, built for the user who asks and streamed in
    the response (as web's /web/export/xlsx does): nothing is stored between the
    click and the download, so no other user can read or replace a workbook.

    Refusals are HTTP errors (no traceback, nothing logged): 404 for a plan the
    user may not read (whether it exists is nobody else's business), 403 for a
    user without the right to the portfolio, 400 for bad parameters."""

    @http.route(
        f"/kam_management/workbook/plan/<int(max={MAX_ID}):plan_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def kam_plan_workbook(self, plan_id):
        Export = self._kam_env()["kam.xlsx.export"]
        plan = Export.env["kam.account.plan"].browse(plan_id)
        try:
            if not plan.exists():
                raise NotFound()
            content = Export._kam_plan_workbook(plan)
        except AccessError:
            raise NotFound() from None
        return self._kam_response(content, Export._kam_plan_filename(plan))

    @http.route(
        "/kam_management/workbook/portfolio",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def kam_portfolio_workbook(self, partner_ids=None, date_from=None, date_to=None):
        Export = self._kam_env()["kam.xlsx.export"]
        ids = self._kam_parse_ids(Export.env, partner_ids)
        try:
            content = Export._kam_portfolio_workbook(ids, date_from, date_to)
        except AccessError as error:
            raise Forbidden(error.args[0]) from None
        except UserError as error:
            raise BadRequest(error.args[0]) from None
        return self._kam_response(content, Export._kam_portfolio_filename())

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------
    def _kam_env(self):
        """The request's environment with the companies the user works in: those
        of the web client's ``cids`` cookie that are the user's (the user's own
        company without it), as /web/content would not do."""
        user = request.env.user
        cookie = request.cookies.get("cids") or ""
        wanted = [int(cid) for cid in re.findall(r"[0-9]+", cookie)]
        allowed = set(user._get_company_ids())
        companies = [cid for cid in wanted if cid in allowed] or [user.company_id.id]
        return request.env(
            context=dict(request.env.context, allowed_company_ids=companies)
        )

    def _kam_parse_ids(self, env, partner_ids):
        """The ids of the ``partner_ids`` parameter ("7,12,31"), None without it;
        a 400 for anything else than at most MAX_SELECTED_ACCOUNTS ids."""
        if partner_ids is None:
            return None
        values = [value for value in partner_ids.split(",") if value]
        if len(values) > MAX_SELECTED_ACCOUNTS or not all(
            re.fullmatch(r"[0-9]{1,10}", value) and 0 < int(value) <= MAX_ID
            for value in values
        ):
            raise BadRequest(
                env._(
                    "The key accounts of a workbook are given as at most %(limit)s "
                    "ids separated by commas.",
                    limit=MAX_SELECTED_ACCOUNTS,
                )
            )
        return [int(value) for value in values]

    def _kam_response(self, content, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
                # a user's own data: no shared cache keeps a copy
                ("Cache-Control", "no-store"),
            ],
        )
