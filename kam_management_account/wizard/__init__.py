from . import kam_recommendation_dismiss
