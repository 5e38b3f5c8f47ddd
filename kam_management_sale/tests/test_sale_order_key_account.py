from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.kam_management.tests.common import KamCommon

from .common import KamSaleRightsCommon

KAM_DOCUMENT_FIELDS = ("is_key_account", "kam_user_id", "kam_team_user_ids")


@tagged("post_install", "-at_install")
class TestSaleOrderKeyAccount(KamCommon):
    """Quotations and orders of key accounts: recognised through the commercial
    entity, followed by the KAM, showing the KAM to the salesman."""

    def _orders(self, partners):
        return self.env["sale.order"].create(
            [{"partner_id": partner.id} for partner in partners]
        )

    def test_key_account_follows_commercial_entity(self):
        to_account, to_contact, to_other = self._orders(
            self.account | self.account_contact | self.candidate
        )
        self.assertTrue(to_account.is_key_account)
        self.assertTrue(to_contact.is_key_account, "a contact's order is the account's")
        self.assertFalse(to_other.is_key_account)
        orders = to_account | to_contact | to_other
        groups = self.env["sale.order"]._read_group(
            [("id", "in", orders.ids)], ["is_key_account"], ["__count"]
        )
        self.assertEqual(dict(groups), {True: 2, False: 1})
        self.candidate.is_key_account = True
        self.assertTrue(to_other.is_key_account, "promotion reaches existing orders")
        self.account.is_key_account = False
        self.assertFalse(to_account.is_key_account or to_contact.is_key_account)

    def test_kam_follows_new_orders(self):
        other_account = self.env["res.partner"].create(
            {
                "name": "Beta Key Corp",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": self.user_kam_other.id,
            }
        )
        orders = self._orders(
            self.account | self.account_contact | other_account | self.candidate
        )
        kam = self.user_kam.partner_id
        other_kam = self.user_kam_other.partner_id
        followers = [order.message_partner_ids for order in orders]
        self.assertIn(kam, followers[0])
        self.assertIn(kam, followers[1])
        self.assertNotIn(kam, followers[2])
        self.assertIn(other_kam, followers[2])
        self.assertNotIn(kam | other_kam, followers[3])

    def test_salesman_sees_the_kam(self):
        self.env["kam.team.member"].create(
            {"partner_id": self.account.id, "user_id": self.user_kam_other.id}
        )
        order = self._orders(self.account_contact).with_user(self.user_sales)
        self.assertFalse(self.user_sales.has_group("kam_management.group_kam_user"))
        self.assertEqual(order.kam_user_id, self.user_kam)
        self.assertEqual(order.kam_team_user_ids, self.user_kam_other)
        self.assertEqual(order.kam_user_id.display_name, "Kim Account")


@tagged("post_install", "-at_install")
class TestSaleOrderKeyAccountRights(KamSaleRightsCommon):
    """The key account on orders over RPC (issue 20): for the employees only,
    never typed in, and a shared account's KAM for the companies he works in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales_both = new_test_user(
            cls.env,
            login="kam_sales_both",
            name="Ben Both",
            groups="sales_team.group_sale_salesman",
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )
        # ``account`` is shared (no company), its KAM works in company A only
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.portal_contact.id, "user_id": cls.user_sales.id}
        )
        # the portal reads the orders it follows (sale's portal record rule)
        cls.order.message_subscribe(partner_ids=cls.portal_contact.ids)
        cls.order_b = cls.env["sale.order"].create(
            {
                "partner_id": cls.account.id,
                "company_id": cls.company_b.id,
                "user_id": cls.user_sales_b.id,
            }
        )

    def test_portal_contact_reads_no_key_account(self):
        order = self.order.with_user(self.user_portal)
        order.check_access("read")  # the portal's own order
        self.assertEqual(order.read(["name"])[0]["name"], self.order.name)
        for fname in KAM_DOCUMENT_FIELDS:
            self.assertNotIn(fname, order.fields_get())
            with self.assertRaises(AccessError):
                order.read([fname])
        with self.assertRaises(AccessError):
            order.search([("is_key_account", "=", True)])
        with self.assertRaises(AccessError):
            order.read_group([], ["is_key_account"], ["is_key_account"])

    def test_key_account_fields_never_typed_in(self):
        order = self.order.with_user(self.user_sales)
        for vals in (
            {"is_key_account": False},
            {"kam_user_id": self.user_sales.id},
            {"kam_team_user_ids": [Command.set(self.user_sales.ids)]},
            {"kam_user_id": "abc"},
        ):
            with self.assertRefused(UserError, "follow the customer's key account"):
                order.write(vals)
        with self.assertRefused(UserError, "follow the customer's key account"):
            order.create({"partner_id": self.candidate.id, "is_key_account": True})
        self.assertTrue(self.order.is_key_account)
        self.assertEqual(self.order.kam_user_id, self.user_kam)

    def test_shared_account_kam_for_his_companies(self):
        """A salesman of company B reads no KAM of company A on his own order
        of a shared account, as on the account itself."""
        order_b = self.order_b.with_user(self.user_sales_b)
        self.assertTrue(order_b.is_key_account)
        self.assertFalse(order_b.kam_user_id)
        self.assertFalse(order_b.kam_team_user_ids)
        self.assertEqual(
            order_b.read(["kam_user_id", "kam_team_user_ids"])[0],
            {"id": order_b.id, "kam_user_id": False, "kam_team_user_ids": []},
        )
        # the salesman of company A, and one of both companies in company A
        self.assertEqual(
            self.order.with_user(self.user_sales).kam_user_id, self.user_kam
        )
        order_both = self.order_b.with_user(self.user_sales_both)
        in_b = order_both.with_context(allowed_company_ids=self.company_b.ids)
        self.assertFalse(in_b.kam_user_id)
        self.assertEqual(order_both.kam_user_id, self.user_kam)
        self.assertEqual(order_both.kam_team_user_ids, self.user_team)
