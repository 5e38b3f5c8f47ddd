{
    "name": "Key Account Management - Invoicing",
    "summary": "Key accounts in Invoicing: revenue from posted invoices and credit "
    "notes, overdue receivables in the health score, the key-account badge on "
    "customer invoices, the whitespace of the accounts and recommendations from "
    "their peers",
    "version": "18.0.1.4.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "account"],
    "external_dependencies": {"python": ["numpy", "scipy"]},
    "data": [
        "security/ir.model.access.csv",
        "security/kam_management_account_security.xml",
        "data/ir_cron_data.xml",
        "wizard/kam_recommendation_dismiss_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/kam_timeline_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/kam_revenue_line_views.xml",
        "views/kam_recommendation_views.xml",
        "views/kam_whitespace_views.xml",
        "views/kam_management_account_menus.xml",
        "views/res_partner_candidate_views.xml",
    ],
    "demo": ["demo/kam_management_account_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "kam_management_account/static/src/**/*",
        ],
        "web.assets_tests": [
            "kam_management_account/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
