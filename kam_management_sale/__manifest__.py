{
    "name": "Key Account Management - Sales",
    "summary": "Key accounts in Sales: revenue from confirmed orders, the order "
    "backlog of the account, the key-account badge on quotations and orders",
    "version": "18.0.1.3.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management_account", "sale_crm"],
    "data": [
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/kam_timeline_views.xml",
    ],
    "auto_install": True,
}
