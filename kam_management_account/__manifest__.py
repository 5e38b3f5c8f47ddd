{
    "name": "Key Account Management - Invoicing",
    "summary": "Key accounts in Invoicing",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "account"],
    "data": [
        "views/account_move_views.xml",
        "views/res_partner_overdue_views.xml",
    ],
    "auto_install": True,
}
