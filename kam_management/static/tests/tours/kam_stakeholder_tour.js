/** @odoo-module **/

import { registry } from "@web/core/registry";

// A stakeholder whose contact is overdue: a meeting marked done from the chatter,
// or a message sent to the person, is an interaction the open form shows at once.
// The stakeholders are created, and the interactions checked, by
// kam_management/tests/test_ui_forms.py.

const OVERDUE = ".o_form_view .alert-danger:contains('Contacto vencido')";
const NOT_OVERDUE = ".o_form_view:not(:has(.alert-danger)) .o_field_widget[name=last_interaction_date]";

registry.category("web_tour.tours").add("kam_stakeholder_meeting_tour_es", {
    steps: () => [
        {
            content: "The contact is overdue",
            trigger: OVERDUE,
        },
        {
            content: "Schedule an activity",
            trigger: ".o-mail-Chatter-activity",
            run: "click",
        },
        {
            content: "A meeting",
            trigger: ".modal .o_field_widget[name=activity_type_id] input",
            run: "edit Meeting",
        },
        {
            content: "Pick the meeting type",
            trigger: ".o-autocomplete--dropdown-item:contains('Meeting')",
            run: "click",
        },
        {
            content: "Schedule it and mark it as done (mail's Programar y marcar como hecho)",
            trigger: ".modal-footer button[name=action_schedule_activities_done]",
            run: "click",
        },
        {
            content: "The form shows the meeting as the last interaction, no longer overdue",
            trigger: `body:not(:has(.modal)) ${NOT_OVERDUE}`,
        },
    ],
});

registry.category("web_tour.tours").add("kam_stakeholder_message_tour_es", {
    steps: () => [
        {
            content: "The contact is overdue",
            trigger: OVERDUE,
        },
        {
            content: "Send a message",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "The person is a recipient, ticked",
            trigger: ".o-mail-SuggestedRecipient:contains('Tina Champion') input:checked",
        },
        {
            content: "Write the message",
            trigger: ".o-mail-Composer-input",
            run: "edit ¿Hablamos el martes?",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the chatter",
            trigger: ".o-mail-Message:contains('¿Hablamos el martes?')",
        },
        {
            content: "The form shows the message as the last interaction, no longer overdue",
            trigger: NOT_OVERDUE,
        },
    ],
});
