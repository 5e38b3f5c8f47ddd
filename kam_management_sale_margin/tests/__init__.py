from . import test_margin
from . import test_translations
