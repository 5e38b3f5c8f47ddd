.PHONY: run test

# Runs the app on http://localhost:8069 (demo database, admin / admin).
run:
	bash scripts/run.sh

# Runs the tests (lint, fresh databases, clean install, HttpCase tests with odoo-bin,
# the others with pytest-odoo).
test:
	bash scripts/test.sh
