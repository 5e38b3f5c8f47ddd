from .batch import in_scheduled_action, new_transaction, run_in_batches
