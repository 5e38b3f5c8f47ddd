from . import kam_portfolio_report
from . import kam_health_history_report
from . import kam_account_plan_report
from . import kam_revenue_line
from . import kam_interaction
from . import kam_review_brief_report
from . import kam_timeline
