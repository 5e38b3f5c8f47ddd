{
    "name": "Key Account Management - Digest",
    "summary": "Key-account KPIs in Odoo's periodic KPI e-mail: accounts at risk "
    "and open escalations",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "digest"],
    "data": [
        "data/digest_data.xml",
        "views/digest_views.xml",
    ],
    "auto_install": True,
}
