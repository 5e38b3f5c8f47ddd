from . import kam_account_economics
from . import res_partner
