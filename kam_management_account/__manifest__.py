{
    "name": "Key Account Management - Invoicing",
    "summary": "Key accounts in Invoicing: revenue from posted invoices and credit "
    "notes, overdue receivables in the health score, the key-account badge on "
    "customer invoices",
    "version": "18.0.1.2.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "account"],
    "data": [
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_candidate_views.xml",
    ],
    "demo": ["demo/kam_management_account_demo.xml"],
    "auto_install": True,
}
