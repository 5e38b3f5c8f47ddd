import logging
import threading
import zlib

from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# First key of the advisory locks of the batch runner (the second: the run's label).
BATCH_LOCK_NAMESPACE = 731_140


def run_in_batches(env, ids, process, batch_size, label):
    """Call ``process(batch_ids)`` over ``ids`` by batches, for the scheduled actions.

    Each batch runs in a savepoint; a batch that fails is retried id by id, so that
    one broken record does not cost the others. In a scheduled action (not in tests,
    nor in a user's request, which commits once at its end), the progress is reported
    and the transaction committed after each batch, as ir.cron does: a long run keeps
    what it did when a later batch or the worker fails, and the next run does what
    is left (each ``process`` finds what is already done and does not do it again).

    Two runs of the same ``label`` at once (two cron workers or servers) take turns
    batch by batch on an advisory lock; in a scheduled action each batch is a
    transaction of its own at READ COMMITTED, so that what the other run committed
    while this one waited for the lock is seen (at Odoo's REPEATABLE READ the
    snapshot would predate it: the batch would repeat the other's reminders or fail
    on its rows). A user's request (a button) keeps its one transaction: when a run
    committed rows it changes meanwhile, its concurrency error is not a failing
    record but goes up, for Odoo to retry the whole request on a fresh snapshot.
    Returns the ids that failed even alone.
    """
    in_cron = in_scheduled_action(env)
    lock = SQL(
        "SELECT pg_advisory_xact_lock(%s, %s)",
        BATCH_LOCK_NAMESPACE,
        zlib.crc32(label.encode()) & 0x7FFFFFFF,
    )
    failed = []
    done = 0
    for batch in split_every(batch_size, ids, list):
        if in_cron:
            new_transaction(env)
        env.cr.execute(lock)
        if not _attempt(env, process, batch, label, in_cron):
            failed += [
                id_
                for id_ in batch
                if not _attempt(env, process, [id_], label, in_cron)
            ]
        done += len(batch)
        if in_cron:
            env["ir.cron"]._notify_progress(done=done, remaining=len(ids) - done)
            env.cr.commit()  # pylint: disable=invalid-commit
    return failed


def new_transaction(env):
    """Commit, and start a READ COMMITTED transaction with an empty cache."""
    env.cr.commit()  # pylint: disable=invalid-commit
    env.cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
    env.invalidate_all()


def in_scheduled_action(env):
    """Whether the cron worker runs us: the context alone does not say it (a user
    can put ``ir_cron_progress_id`` in the context of an RPC call), so a user's
    request never commits half-way, nor does a test."""
    return (
        bool(env.context.get("ir_cron_progress_id"))
        and not request
        and not getattr(threading.current_thread(), "testing", False)
    )


def _attempt(env, process, ids, label, in_cron):
    try:
        with env.cr.savepoint():
            process(ids)
        return True
    except Exception as error:
        if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY) and not in_cron:
            raise
        _logger.exception("%s failed for the records %s", label, ids)
        env.invalidate_all()
        return False
