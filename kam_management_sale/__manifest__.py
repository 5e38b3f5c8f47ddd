{
    "name": "Key Account Management - Sales",
    "summary": "Key accounts in Sales",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "sale"],
    "data": [
        "views/sale_order_views.xml",
    ],
    "auto_install": True,
}
