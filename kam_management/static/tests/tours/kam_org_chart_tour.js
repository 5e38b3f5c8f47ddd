/** @odoo-module **/

import { registry } from "@web/core/registry";

// The org chart of a key account, opened from its form, and the buying committee
// of one of its opportunities, in a real browser (the cards and the banner are
// rendered by the web client only). The data is created, and what the tours did
// checked, by kam_management/tests/test_org_chart.py.

const CEO = ".o_hierarchy_node:contains('Cleo Chief')";

registry.category("web_tour.tours").add("kam_org_chart_tour", {
    steps: () => [
        {
            content: "Open the stakeholders of the account",
            trigger: ".o_notebook_headers a:contains('Stakeholders')",
            run: "click",
        },
        {
            content: "Open its org chart",
            trigger: "button[name=action_kam_view_org_chart]",
            run: "click",
        },
        {
            content: "The CEO's card: her role, attitude and influence",
            trigger: `.o_hierarchy_view ${CEO}:contains('Decision Maker'):contains('Supporter'):contains('Influence')`,
        },
        {
            content: "Unfold her reports",
            trigger: `${CEO} button[name=hierarchy_search_subsidiaries]`,
            run: "click",
        },
        {
            content: "The CFO reports to her",
            trigger: ".o_hierarchy_node:contains('Fred Money'):contains('Economic Buyer')",
        },
    ],
});

registry.category("web_tour.tours").add("kam_buying_committee_tour", {
    steps: () => [
        {
            content: "Open the buying committee of the opportunity",
            trigger: ".o_notebook_headers a:contains('Buying Committee')",
            run: "click",
        },
        {
            content: "Nobody on it can say yes: the warning says so",
            trigger: ".tab-pane.active .alert-warning:contains('No decision maker')",
        },
        {
            content: "Its member is listed with their role",
            trigger: ".tab-pane.active .o_data_row:contains('Alice Buyer'):contains('Influencer')",
        },
    ],
});
