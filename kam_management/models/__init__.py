from . import res_company
from . import res_config_settings
from . import kam_selection_criterion
from . import kam_selection_score
from . import kam_team_member
from . import res_partner
from . import crm_lead
from . import kam_escalation
