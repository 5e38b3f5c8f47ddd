{
    "name": "Key Account Management - Sales Margin",
    "summary": "Key accounts' margins from the cost of the sale lines (Sales Margin)",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management_sale", "sale_margin"],
    "data": [
        "views/res_partner_views.xml",
    ],
    "auto_install": True,
}
