{
    "name": "Key Account Management - Timesheets",
    "summary": "Key accounts' cost to serve: the timesheet cost on their projects "
    "and tasks",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management_project", "hr_timesheet"],
    "data": [
        "views/res_partner_views.xml",
    ],
    "auto_install": True,
}
