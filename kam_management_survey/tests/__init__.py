from . import test_survey_answer
