from . import kam_portfolio_report
