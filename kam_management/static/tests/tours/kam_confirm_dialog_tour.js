/** @odoo-module **/

import { registry } from "@web/core/registry";

// "Escalar" and "Record NPS/CSAT" on an account, "Nueva revisión" on a plan open
// the new record in a dialog: leaving the browser tab, closing it or the dialog
// creates nothing, the dialog's button does. The records are created, and what the tours leave
// checked, by kam_management/tests/test_ui_forms.py.

/** The user leaves the browser tab for another one, then closes it, with the
 * dialog open (the events the browser sends; the page itself stays). */
function leaveTheBrowserTab(round) {
    return [
        {
            content: "Leave the browser tab for another one, then close it",
            trigger: ".modal .o_form_view",
            run() {
                Object.defineProperty(document, "visibilityState", {
                    value: "hidden",
                    configurable: true,
                });
                document.dispatchEvent(new Event("visibilitychange"));
                delete document.visibilityState;
                // after the step: the tour would take it for its own page unloading
                setTimeout(() => {
                    window.dispatchEvent(new Event("beforeunload", { cancelable: true }));
                    document.body.dataset.kamTabClosed = round;
                });
            },
        },
        {
            content: "The tab was closed",
            trigger: `body[data-kam-tab-closed='${round}']`,
        },
    ];
}

registry.category("web_tour.tours").add("kam_account_dialogs_tour_es", {
    steps: () => [
        {
            content: "Escalate the account",
            trigger: ".o_form_view button[name=action_kam_escalate]:contains('Escalar')",
            run: "click",
        },
        {
            content: "The new escalation opens in a dialog",
            trigger: ".modal:contains('Escalar') .o_form_view .o_field_widget[name=reason]",
        },
        {
            content: "Its reason",
            trigger: ".modal .o_field_widget[name=reason] select",
            run: 'select "churn_risk"',
        },
        {
            content: "Its evidence",
            trigger: ".modal .o_field_widget[name=evidence] textarea",
            run: "edit Not confirmed",
        },
        ...leaveTheBrowserTab("escalation"),
        {
            content: "Close the dialog",
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            content: "The account has no escalation",
            trigger: "body:not(:has(.modal)) button[name=action_kam_view_escalations] .o_stat_value:contains('0')",
        },
        {
            content: "Escalate the account again",
            trigger: ".o_form_view button[name=action_kam_escalate]",
            run: "click",
        },
        {
            content: "Its reason",
            trigger: ".modal .o_field_widget[name=reason] select",
            run: 'select "churn_risk"',
        },
        {
            content: "Its evidence",
            trigger: ".modal .o_field_widget[name=evidence] textarea",
            run: "edit Three orders cancelled",
        },
        {
            content: "Confirm the escalation",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The account has one escalation",
            trigger: "body:not(:has(.modal)) button[name=action_kam_view_escalations] .o_stat_value:contains('1')",
        },
        {
            content: "Record a satisfaction answer",
            trigger: ".o_form_view button[name=action_kam_record_survey]",
            run: "click",
        },
        {
            content: "The answer opens in a dialog, with a score of 0 (a valid one)",
            trigger: ".modal .o_field_widget[name=score] input",
        },
        ...leaveTheBrowserTab("survey"),
        {
            content: "Close the dialog",
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            content: "Back on the account",
            trigger: "body:not(:has(.modal)) .o_form_view button[name=action_kam_record_survey]",
        },
    ],
});

registry.category("web_tour.tours").add("kam_review_dialog_tour_es", {
    steps: () => [
        {
            content: "A new review of the plan",
            trigger: ".o_form_view button[name=action_new_review]:contains('Nueva revisión')",
            run: "click",
        },
        {
            content: "The new review opens in a dialog",
            trigger: ".modal .o_form_view .o_field_widget[name=review_type] select",
            run: 'select "ad_hoc"',
        },
        ...leaveTheBrowserTab("review"),
        {
            content: "Discard it",
            trigger: ".modal-footer button.btn-secondary",
            run: "click",
        },
        {
            content: "The plan still has its one review",
            trigger: "body:not(:has(.modal)) button[name=action_view_reviews] .o_stat_value:contains('1')",
        },
        {
            content: "A new review again",
            trigger: ".o_form_view button[name=action_new_review]",
            run: "click",
        },
        {
            content: "An ad hoc review",
            trigger: ".modal .o_form_view .o_field_widget[name=review_type] select",
            run: 'select "ad_hoc"',
        },
        {
            content: "Save it",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The plan has two reviews",
            trigger: "body:not(:has(.modal)) button[name=action_view_reviews] .o_stat_value:contains('2')",
        },
    ],
});
