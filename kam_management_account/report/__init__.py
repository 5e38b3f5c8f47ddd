from . import kam_whitespace
from . import kam_recommendation_hit_rate
