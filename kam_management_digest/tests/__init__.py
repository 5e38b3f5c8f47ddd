from . import test_digest
from . import test_translations
