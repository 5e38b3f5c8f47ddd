from . import test_project_task_key_account
from . import test_translations
from . import test_corporate_group
from . import test_timeline
