/** @odoo-module **/

import { registry } from "@web/core/registry";

// A customer's contact on the portal: the joint account plan shared with their
// company, a comment in its chatter, then one of their actions marked done.
// The records are created by kam_management/tests/test_portal.py.
registry.category("web_tour.tours").add("kam_portal_plan_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the account plans from the portal home",
            trigger: "a[href='/my/account-plans']",
            run: "click",
        },
        {
            content: "Open the shared plan",
            trigger: "a:contains('Joint Growth Plan A')",
            run: "click",
        },
        {
            content: "The shared objective is shown",
            trigger: ".o_kam_portal_objective:contains('Open two plants')",
        },
        {
            content: "Write a comment",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit We agree with the objectives",
        },
        {
            content: "Send it",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The comment is in the chatter",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('We agree with the objectives')",
        },
        {
            content: "Mark the customer's action done",
            trigger: ".o_kam_portal_action:contains('Send the forecast') .o_kam_portal_action_done",
            run: "click",
        },
        {
            content: "The action is done",
            trigger: ".alert-success",
        },
    ],
});
