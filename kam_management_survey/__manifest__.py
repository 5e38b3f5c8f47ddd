{
    "name": "Key Account Management - Survey",
    "summary": "NPS and CSAT of key accounts through the Survey app: surveys sent to "
    "the stakeholders, answers recorded as satisfaction scores for the health",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": ["kam_management", "survey"],
    "data": [
        "data/survey_survey_data.xml",
        "views/survey_survey_views.xml",
        "views/kam_satisfaction_survey_views.xml",
        "views/res_partner_views.xml",
    ],
    "auto_install": True,
}
