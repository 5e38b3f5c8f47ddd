from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamStockCommon


@tagged("post_install", "-at_install")
class TestStockPickingKeyAccount(KamStockCommon):
    """Deliveries to key accounts: recognised through the commercial entity,
    starred when they are created, and showing the KAM to the warehouse."""

    def test_key_account_follows_commercial_entity(self):
        to_account, to_contact, to_other = self._pickings(
            self.account | self.account_contact | self.candidate
        )
        self.assertTrue(to_account.is_key_account)
        self.assertTrue(
            to_contact.is_key_account, "a contact's delivery is the account's"
        )
        self.assertFalse(to_other.is_key_account)
        Picking = self.env["stock.picking"]
        found = Picking.search(
            [
                ("is_key_account", "=", True),
                ("id", "in", (to_account | to_contact | to_other).ids),
            ]
        )
        self.assertEqual(found, to_account | to_contact)
        self.assertEqual(
            Picking.search([("is_key_account", "=", False), ("id", "=", to_other.id)]),
            to_other,
        )

    def test_deliveries_to_key_accounts_created_starred(self):
        to_account, to_contact, to_other = self._pickings(
            self.account | self.account_contact | self.candidate
        )
        self.assertEqual(to_account.priority, "1")
        self.assertEqual(to_contact.priority, "1")
        self.assertEqual(
            to_other.priority, "0", "a non key account keeps Odoo's default"
        )
        self.assertEqual(
            to_account.move_ids.priority, "1", "the moves are reserved first"
        )
        receipt = self._pickings(self.account, picking_type=self.type_in)
        self.assertEqual(receipt.priority, "0", "only deliveries are starred")

    def test_designation_changes_documents_not_priorities(self):
        delivery = self._pickings(self.candidate)
        self.assertEqual(delivery.priority, "0")
        self.candidate.is_key_account = True
        self.assertTrue(delivery.is_key_account)
        self.assertEqual(
            delivery.priority, "0", "an existing delivery keeps its priority"
        )
        starred = self._pickings(self.account)
        self.account.is_key_account = False
        self.assertFalse(starred.is_key_account)
        self.assertEqual(starred.priority, "1")

    def test_done_delivery_never_changed(self):
        delivery = self._pickings(self.account)
        delivery.action_confirm()
        delivery.move_ids.write({"quantity": 1, "picked": True})
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.priority, "0", "Odoo unstars what is done")
        self.account.is_key_account = False
        self.account.is_key_account = True
        self.assertEqual(delivery.priority, "0")

    def test_designation_updates_documents_in_constant_queries(self):
        """Promoting an account updates its documents with a fixed number of queries,
        whatever the number of documents (no query per document)."""
        Partner = self.env["res.partner"]
        accounts = Partner.create(
            [{"name": name, "is_company": True} for name in ("First", "Small", "Big")]
        )
        contacts = Partner.create(
            [{"name": "Buyer", "parent_id": account.id} for account in accounts]
        )
        warm_up, small, big = accounts
        small_deliveries = self._pickings(warm_up | small)
        big_deliveries = self._pickings([big, contacts[2]] * 6)
        counts = []
        for account in (warm_up, small, big):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            account.is_key_account = True
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(
            counts[1], counts[2], f"queries for 1 and 12 deliveries: {counts[1:]}"
        )
        self.assertTrue(all(small_deliveries.mapped("is_key_account")))
        self.assertTrue(all(big_deliveries.mapped("is_key_account")))

    def test_warehouse_user_sees_the_kam(self):
        """A warehouse user without KAM rights sees who the KAM and the team are on
        the delivery, not the KAM fields of the partner."""
        delivery = self._pickings(self.account).with_user(self.user_stock)
        self.assertFalse(self.user_stock.has_group("kam_management.group_kam_user"))
        [values] = delivery.web_read(
            {
                "is_key_account": {},
                "kam_user_id": {"fields": {"display_name": {}}},
                "kam_team_user_ids": {"fields": {"display_name": {}}},
            }
        )
        self.assertTrue(values["is_key_account"])
        self.assertEqual(
            values["kam_user_id"],
            {"id": self.user_kam.id, "display_name": "Kim Account"},
        )
        self.assertEqual(
            values["kam_team_user_ids"],
            [{"id": self.user_sales.id, "display_name": "Sam Sales"}],
        )
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_stock).read(["kam_user_id"])
        other = self._pickings(self.candidate).with_user(self.user_stock)
        self.assertFalse(other.kam_user_id)
        self.assertFalse(other.kam_team_user_ids)

    def test_fill_on_install(self):
        """The SQL fill of the column at installation gives what the ORM computes."""
        deliveries = self._pickings(
            self.account | self.account_contact | self.candidate
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_picking SET is_key_account = NULL WHERE id = ANY(%s)",
            [deliveries.ids],
        )
        self.env["stock.picking"]._kam_fill_is_key_account()
        self.env.invalidate_all()
        self.assertEqual(deliveries.mapped("is_key_account"), [True, True, False])
