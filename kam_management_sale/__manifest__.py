{
    "name": "Key Account Management - Sales",
    "summary": "Key account revenue from confirmed sales orders, the order backlog "
    "of the account",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "sale_crm"],
    "data": ["views/res_partner_views.xml"],
    "auto_install": True,
}
