from . import kam_designation_wizard
