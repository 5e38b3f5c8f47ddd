from . import kam_account_revenue
from . import res_partner
from . import sale_order
from . import kam_revenue_line
from . import kam_revenue_line_economics
from . import kam_timeline
