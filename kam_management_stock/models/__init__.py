from . import stock_picking
from . import kam_health_source_delivery
from . import kam_timeline
