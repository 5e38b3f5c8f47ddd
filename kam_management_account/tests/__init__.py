from . import test_account_move_key_account
from . import test_revenue
from . import test_translations
from . import test_corporate_group
from . import test_whitespace
from . import test_recommendation
from . import test_whitespace_ui
from . import test_economics
