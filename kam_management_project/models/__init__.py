from . import project_task
from . import kam_timeline
from . import project_project
