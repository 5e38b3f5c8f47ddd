{
    "name": "Key Account Management - Project",
    "summary": "Tasks for key accounts: the key account badge, filter and KAM",
    "version": "18.0.1.2.0",
    "category": "Services/Project",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "project"],
    "data": [
        "views/project_task_views.xml",
        "views/kam_timeline_views.xml",
    ],
    "auto_install": True,
}
