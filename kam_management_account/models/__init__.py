from . import account_move
from . import kam_account_revenue
from . import res_partner
from . import kam_revenue_line
from . import kam_revenue_line_economics
from . import res_partner_candidate
from . import kam_selection_score
