from . import (
    test_access_rights,
    test_account_plan,
    test_account_review,
    test_crm_lead,
    test_designation,
    test_escalation,
    test_health,
    test_selection_score,
    test_stakeholder,
    test_translations,
)
