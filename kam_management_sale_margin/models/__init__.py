from . import kam_revenue_line
