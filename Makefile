.PHONY: run test

# Runs the app on http://localhost:8069 (demo database, admin / admin).
run:
	bash scripts/run.sh

# Runs the tests (fresh database, clean install, pytest-odoo).
test:
	bash scripts/test.sh
