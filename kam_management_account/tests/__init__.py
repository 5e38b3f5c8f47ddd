from . import test_account_move_key_account
