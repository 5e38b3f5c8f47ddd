{
    "name": "Key Account Management - Inventory",
    "summary": "Deliveries to key accounts: starred, with the key account badge and "
    "KAM; late deliveries in the health score",
    "version": "18.0.1.2.0",
    "category": "Inventory/Inventory",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "stock"],
    "data": [
        "data/kam_health_factor_data.xml",
        "views/stock_picking_views.xml",
        "views/kam_timeline_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "kam_management_stock/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
