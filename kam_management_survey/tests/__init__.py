from . import test_survey_answer
from . import test_translations
from . import test_corporate_group
