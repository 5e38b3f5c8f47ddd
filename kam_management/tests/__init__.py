from . import test_account_plan
from . import test_account_review
