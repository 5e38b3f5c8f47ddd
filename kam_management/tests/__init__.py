from . import test_health
from . import test_account_plan
from . import test_account_review
from . import test_access_rights
from . import test_crm_lead
from . import test_designation
from . import test_selection_score
from . import test_stakeholder
