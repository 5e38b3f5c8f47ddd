from psycopg2 import errors

from odoo.tools import mute_logger

from ..tools import run_in_batches
from .common import KamCommon


class TestBatchRunner(KamCommon):
    """The runner of the scheduled actions isolates a failing record: the others of
    its batch and of the other batches are processed, the failing one is rolled
    back and reported."""

    def test_failing_record_isolated(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Batch {i}", "is_company": True} for i in range(5)]
        )
        broken = partners[2]

        def tag(ids):
            records = self.env["res.partner"].browse(ids)
            records.write({"ref": "processed"})
            if broken.id in ids:
                raise ValueError("broken record")

        with mute_logger("odoo.addons.kam_management.tools.batch"):
            failed = run_in_batches(self.env, partners.ids, tag, 2, "Test run")
        self.assertEqual(failed, broken.ids)
        self.assertEqual(
            partners.mapped("ref"),
            ["processed", "processed", False, "processed", "processed"],
        )

    def test_concurrency_error_of_a_request_goes_up(self):
        """In a user's request (a button), a batch that meets rows a scheduled run
        committed meanwhile is not a failing record: the error goes up, for Odoo
        to retry the whole request on a fresh snapshot."""
        partners = self.env["res.partner"].create(
            [{"name": f"Batch {i}", "is_company": True} for i in range(3)]
        )

        def collide(ids):
            raise errors.SerializationFailure("could not serialize access")

        with self.assertRaises(errors.SerializationFailure):
            run_in_batches(self.env, partners.ids, collide, 2, "Test run")
