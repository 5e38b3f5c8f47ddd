from . import test_stakeholder
