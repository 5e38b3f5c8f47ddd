import json

from odoo.tests import HttpCase, tagged

from .common import KamWhitespaceCommon

# the refusals a caller may get: any other error is a server traceback
REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.http.SessionExpiredException",
}


@tagged("post_install", "-at_install", "kam_http")
class TestWhitespaceHttp(HttpCase, KamWhitespaceCommon):
    """The whitespace grid and the recommendations over JSON-RPC, as the web
    client calls them, by a salesman, a KAM user off the account and an
    anonymous visitor: every call is refused, none opens an opportunity or
    changes a recommendation, none ends in a traceback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recommendation = cls.env["kam.recommendation"].create(
            {
                "partner_id": cls.account.id,
                "company_id": cls.env.company.id,
                "categ_id": cls.categs["c"].id,
                "score": 0.8,
                "expected_revenue": 1000,
            }
        )

    def _rpc(self, model, method, args):
        """ "ok" or the name of the refusal; "traceback: <name>" otherwise."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        error = response.json().get("error")
        if not error:
            return "ok"
        name = error["data"]["name"]
        return name if name in REFUSALS else f"traceback: {name}"

    def _watched(self):
        self.env.invalidate_all()
        return (
            self.env["crm.lead"].search_count([]),
            self.recommendation.read(["state", "lead_id", "dismiss_reason"]),
        )

    def test_refused(self):
        cell = [self.account.id, self.plant.id, self.categs["c"].id]
        recommendation = [self.recommendation.ids]
        calls = [
            ("kam.whitespace", "kam_grid", [self.account.id]),
            ("kam.whitespace", "kam_action_open_cell", cell),
            ("kam.whitespace", "kam_action_create_opportunity", cell),
            ("kam.recommendation", "read", [*recommendation, ["reason"]]),
            ("kam.recommendation", "action_accept", recommendation),
            ("kam.recommendation", "action_dismiss", recommendation),
            ("kam.recommendation", "write", [*recommendation, {"state": "dismissed"}]),
        ]
        # the KAM user off the account reads the programme's whitespace (as he
        # reads its accounts) but acts on none of it
        reads = {"kam_grid", "kam_action_open_cell", "read"}
        before = self._watched()
        for login in ("kam_sales", "kam_other", None):
            if login:
                self.authenticate(login, login)
            else:
                self.authenticate(None, None)
            for model, method, args in calls:
                if login == "kam_other" and method in reads:
                    continue
                with self.subTest(user=login, call=method):
                    outcome = self._rpc(model, method, args)
                    self.assertIn(outcome, REFUSALS)
                    self.assertEqual(self._watched(), before)
