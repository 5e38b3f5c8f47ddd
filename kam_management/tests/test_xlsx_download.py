import io
from unittest.mock import patch

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..wizard.kam_xlsx_export import MAX_SELECTED_ACCOUNTS
from .common import KamRightsCommon

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PORTFOLIO_URL = "/kam_management/workbook/portfolio"


@tagged("post_install", "-at_install", "kam_http")
class TestXlsxDownloadHttp(HttpCase, KamRightsCommon):
    """The workbooks downloaded over HTTP as each kind of user: built for the
    user who asks, under their rights and companies, streamed in the response and
    stored nowhere; refused with an HTTP error, and no traceback, otherwise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # shared with its customer: the portal contact may read it, and still
        # gets no back-office workbook
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme growth plan",
                "partner_id": cls.account.id,
                "portal_shared": True,
            }
        )
        cls.plan_url = f"/kam_management/workbook/plan/{cls.plan.id}"
        # a KAM manager of both companies, to choose them as the web client does
        cls.user_both = new_test_user(
            cls.env,
            login="kam_both",
            name="Bo Both",
            groups="sales_team.group_sale_manager,kam_management.group_kam_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
        )
        cls.company_a_accounts = cls.env["res.partner"].search(
            [("is_key_account", "=", True), ("company_id", "in", [cls.company.id])]
        )

    def _get(self, user, url, cids=None):
        """``url`` as ``user`` (anonymous when None), redirects not followed."""
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)
        if cids:
            self.opener.cookies["cids"] = "-".join(str(cid) for cid in cids)
        return self.url_open(url, allow_redirects=False)

    def _sheets(self, response):
        """``{sheet name: rows}`` of a workbook response, after checking that it
        is one: an XLSX attachment, kept out of shared caches."""
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertTrue(response.content.startswith(b"PK"), "not an XLSX (zip)")
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}

    def _account_names(self, response):
        _header, *rows = self._sheets(response)["Portfolio"]
        return {row[0] for row in rows}

    def assertRefusedHttp(self, response, status):
        self.assertEqual(response.status_code, status)
        self.assertNotEqual(response.headers.get("Content-Type"), XLSX_MIMETYPE)
        self.assertFalse(response.content.startswith(b"PK"))

    def assertLoginRedirect(self, response):
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    # ------------------------------------------------------------
    # Plan workbook
    # ------------------------------------------------------------
    def test_plan_workbook_for_its_readers_only(self):
        self.assertTrue(self.plan.with_user(self.user_portal).has_access("read"))
        for user in (self.user_kam, self.user_kam_other):
            with self.subTest(user=user.login):
                sheets = self._sheets(self._get(user, self.plan_url))
                self.assertEqual(
                    list(sheets),
                    ["Plan", "Objectives", "Opportunities", "Actions", "Reviews"],
                )
                self.assertIn(("Plan", "Acme growth plan"), sheets["Plan"])
        for user in (self.user_company_b, self.user_sales, self.user_portal):
            with self.subTest(user=user.login), self.assertNoLogs(level="WARNING"):
                self.assertRefusedHttp(self._get(user, self.plan_url), 404)
        self.assertLoginRedirect(self._get(None, self.plan_url))

    def test_plan_workbook_bad_ids(self):
        urls = [
            "/kam_management/workbook/plan/0",
            "/kam_management/workbook/plan/-1",
            "/kam_management/workbook/plan/abc",
            f"/kam_management/workbook/plan/{self.plan.id + 100000}",
            f"/kam_management/workbook/plan/{2**31}",
            "/kam_management/workbook/plan/99999999999999999999999",
        ]
        for url in urls:
            with self.subTest(url=url), self.assertNoLogs(level="WARNING"):
                self.assertRefusedHttp(self._get(self.user_kam, url), 404)

    def test_plan_button_links_to_the_workbook(self):
        action = self.plan.with_user(self.user_kam).action_kam_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], self.plan_url)
        self._sheets(self._get(self.user_kam, action["url"]))

    # ------------------------------------------------------------
    # Portfolio workbook
    # ------------------------------------------------------------
    def test_portfolio_workbook_of_the_users_companies(self):
        for user in (self.user_kam, self.user_kam_other):
            with self.subTest(user=user.login):
                names = self._account_names(self._get(user, PORTFOLIO_URL))
                self.assertIn("Acme Key Corp", names)
                self.assertNotIn("Euro Key GmbH", names)
        names = self._account_names(self._get(self.user_company_b, PORTFOLIO_URL))
        self.assertEqual(names, {"Euro Key GmbH"})
        self.assertFalse(names & set(self.company_a_accounts.mapped("name")))
        # a company B user asking for company A by the cookie gets B only
        response = self._get(self.user_company_b, PORTFOLIO_URL, self.company.ids)
        self.assertEqual(self._account_names(response), {"Euro Key GmbH"})

    def test_portfolio_workbook_of_the_chosen_companies(self):
        """The companies chosen in the web client (the ``cids`` cookie)."""
        for cids, shown, hidden in (
            (self.company_b.ids, "Euro Key GmbH", "Acme Key Corp"),
            (self.company.ids, "Acme Key Corp", "Euro Key GmbH"),
            ((self.company | self.company_b).ids, "Euro Key GmbH", None),
        ):
            with self.subTest(cids=cids):
                response = self._get(self.user_both, PORTFOLIO_URL, cids)
                names = self._account_names(response)
                self.assertIn(shown, names)
                self.assertNotIn(hidden, names)

    def test_portfolio_workbook_refused(self):
        for user in (self.user_sales, self.user_portal):
            with self.subTest(user=user.login), self.assertNoLogs(level="WARNING"):
                self.assertRefusedHttp(self._get(user, PORTFOLIO_URL), 403)
        self.assertLoginRedirect(self._get(None, PORTFOLIO_URL))

    def test_portfolio_selection_and_period(self):
        Export = self.env["kam.xlsx.export"].with_user(self.user_kam)
        action = Export._kam_export_portfolio(
            partner_ids=(self.account | self.candidate).ids,
            date_from="2024-01-01",
            date_to="2024-12-31",
        )
        self.assertEqual(action["type"], "ir.actions.act_url")
        sheets = self._sheets(self._get(self.user_kam, action["url"]))
        _header, *rows = sheets["Portfolio"]
        self.assertEqual([row[0] for row in rows], ["Acme Key Corp"])
        period = {row[0]: row[1] for row in sheets["Programme Metrics"][1:3]}
        self.assertEqual(str(period["From"].date()), "2024-01-01")
        self.assertEqual(str(period["To"].date()), "2024-12-31")
        # another user's company accounts are no part of a selection
        response = self._get(
            self.user_company_b, f"{PORTFOLIO_URL}?partner_ids={self.account.id}"
        )
        _header, *rows = self._sheets(response)["Portfolio"]
        self.assertEqual(rows, [])

    def test_portfolio_bad_input_refused(self):
        queries = [
            "partner_ids=abc",
            "partner_ids=1;2",
            "partner_ids=%C2%B2",
            "partner_ids=-4",
            f"partner_ids={2**31}",
            "partner_ids=" + ",".join(["1"] * (MAX_SELECTED_ACCOUNTS + 1)),
            "date_from=2025-13-01",
            "date_to=yesterday",
            "date_from=2025-06-01&date_to=2025-01-01",
            "date_from=0001-01-01&date_to=0002-01-01",
            "date_from=2025-01-01&date_to=9999-12-31",
        ]
        for query in queries:
            with self.subTest(query=query), self.assertNoLogs(level="WARNING"):
                response = self._get(self.user_kam, f"{PORTFOLIO_URL}?{query}")
                self.assertRefusedHttp(response, 400)

    def test_large_selection_refused_with_a_clear_message(self):
        """A list selection goes in the link: the whole portfolio selected is the
        portfolio (no ids), a selection past the limit is refused."""
        accounts = self.env["res.partner"].create(
            [
                {"name": f"Bulk {i}", "is_company": True, "is_key_account": True}
                for i in range(MAX_SELECTED_ACCOUNTS + 1)
            ]
        )
        Export = self.env["kam.xlsx.export"].with_user(self.user_kam_manager)
        everything = self.env["kam.portfolio.report"].with_user(self.user_kam_manager)
        action = Export._kam_export_portfolio(
            partner_ids=everything.search([]).partner_id.ids
        )
        self.assertNotIn("partner_ids", action["url"])
        with self.assertRaisesRegex(UserError, "at most 500"):
            Export._kam_export_portfolio(partner_ids=accounts.ids)

    # ------------------------------------------------------------
    # Nothing stored, nothing served by id
    # ------------------------------------------------------------
    def test_web_content_serves_no_workbook(self):
        urls = [
            "/web/content/?model=kam.xlsx.export&id=1&field=file"
            "&filename_field=filename&download=true",
            "/web/content/kam.xlsx.export/1/file",
            "/web/image/kam.xlsx.export/1/file",
        ]
        for user in (self.user_kam, self.user_kam_manager, None):
            for url in urls:
                with (
                    self.subTest(user=user and user.login, url=url),
                    self.assertNoLogs(level="ERROR"),
                ):
                    response = self._get(user, url)
                    if url.startswith("/web/content"):
                        self.assertEqual(response.status_code, 404)
                    self.assertNotEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
                    self.assertFalse(response.content.startswith(b"PK"))

    def test_no_record_api_on_workbooks(self):
        """No user reads or writes a workbook through the ORM's JSON-RPC: a
        refusal (a logged warning), no traceback."""
        self.authenticate(self.user_kam.login, self.user_kam.login)
        for method, args in (
            ("read", [[1]]),
            ("search_read", [[]]),
            ("write", [[1], {}]),
            ("create", [{}]),
        ):
            with (
                self.subTest(method=method),
                self.assertLogs("odoo.http", level="WARNING") as logs,
                self.assertRaises(JsonRpcException) as caught,
            ):
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/kam.xlsx.export/{method}",
                    {
                        "model": "kam.xlsx.export",
                        "method": method,
                        "args": args,
                        "kwargs": {},
                    },
                )
            self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
            self.assertEqual({record.levelname for record in logs.records}, {"WARNING"})

    def test_nothing_stored_after_a_download(self):
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.search_count([])
        with patch.object(
            self.env.registry["ir.attachment"],
            "create",
            side_effect=AssertionError("a workbook was stored"),
        ):
            self._sheets(self._get(self.user_kam, PORTFOLIO_URL))
            self._sheets(self._get(self.user_kam, self.plan_url))
        self.assertEqual(Attachment.search_count([]), attachments)
        self.env.cr.execute("SELECT to_regclass('kam_xlsx_export')")
        self.assertIsNone(self.env.cr.fetchone()[0], "no table of workbooks")
