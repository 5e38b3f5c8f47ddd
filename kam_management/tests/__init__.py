from . import test_health
