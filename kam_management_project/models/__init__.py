from . import project_task
