from . import test_stock_picking_key_account
from . import test_ui
from . import test_translations
from . import test_health_delivery
from . import test_corporate_group
from . import test_timeline
