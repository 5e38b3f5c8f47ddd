from . import test_health
from . import test_escalation
