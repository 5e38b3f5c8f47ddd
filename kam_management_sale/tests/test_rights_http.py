import json

from odoo.tests import HttpCase, tagged

from .common import KamSaleRightsCommon

KAM_DOCUMENT_FIELDS = ["is_key_account", "kam_user_id", "kam_team_user_ids"]


@tagged("post_install", "-at_install", "kam_http")
class TestSaleOrderHttp(HttpCase, KamSaleRightsCommon):
    """The key account on orders over HTTP (issue 20), as the web client and
    the portal ask for it: the customer's portal contact reads none of it, a
    salesman of company B no KAM of company A on a shared account, nobody
    types it in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # ``account`` is shared (no company), its KAM works in company A only
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.portal_contact.id, "user_id": cls.user_sales.id}
        )
        cls.order.action_quotation_sent()
        cls.order.message_subscribe(partner_ids=cls.portal_contact.ids)
        cls.order_b = cls.env["sale.order"].create(
            {
                "partner_id": cls.account.id,
                "company_id": cls.company_b.id,
                "user_id": cls.user_sales_b.id,
            }
        )

    def _rpc(self, model, method, args, kwargs=None):
        """The result of a call_kw, or the name of its error."""
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
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        if "error" in body:
            return body["error"]["data"]["name"]
        return body["result"]

    def test_portal_contact(self):
        self.authenticate("kam_portal", "kam_portal")
        ids = [self.order.id]
        self.assertEqual(
            self._rpc("sale.order", "read", [ids, ["name"]])[0]["name"],
            self.order.name,
        )
        for fname in KAM_DOCUMENT_FIELDS:
            self.assertEqual(
                self._rpc("sale.order", "read", [ids, [fname]]),
                "odoo.exceptions.AccessError",
            )
        self.assertEqual(
            self._rpc("sale.order", "search", [[("is_key_account", "=", True)]]),
            "odoo.exceptions.AccessError",
        )
        self.assertNotIn("is_key_account", self._rpc("sale.order", "fields_get", []))
        # the portal's page of the order still opens, without the KAM
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertNotIn(self.user_kam.name, response.text)

    def test_salesman_of_another_company(self):
        self.authenticate("kam_sales_b", "kam_sales_b")
        answer = self._rpc(
            "sale.order",
            "web_read",
            [[self.order_b.id]],
            {
                "specification": {
                    "is_key_account": {},
                    "kam_user_id": {"fields": {"display_name": {}}},
                    "kam_team_user_ids": {"fields": {"display_name": {}}},
                }
            },
        )[0]
        self.assertTrue(answer["is_key_account"])
        self.assertFalse(answer["kam_user_id"])
        self.assertEqual(answer["kam_team_user_ids"], [])
        self.assertEqual(
            self._rpc(
                "sale.order", "write", [[self.order_b.id], {"is_key_account": False}]
            ),
            "odoo.exceptions.UserError",
        )
        self.assertTrue(self.order_b.is_key_account)
