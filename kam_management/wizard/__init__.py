from . import kam_designation_wizard
from . import kam_programme_metrics_wizard
from . import kam_xlsx_export
from . import kam_reassign_wizard
from . import kam_programme_settings
from . import mail_activity_schedule
