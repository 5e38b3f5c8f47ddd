from . import test_revenue
from . import test_rights_http
from . import test_sale_order_key_account
from . import test_translations
from . import test_corporate_group
from . import test_timeline
