from .batch import run_in_batches
