from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon


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
