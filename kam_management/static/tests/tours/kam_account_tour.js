/** @odoo-module **/

import { registry } from "@web/core/registry";

// A Key Account Manager's day: the dashboard, one of their key accounts with its
// health breakdown and its stakeholders, then a new account plan with an objective.
// The records are created by kam_management/tests/test_ui.py.
registry.category("web_tour.tours").add("kam_account_tour", {
    url: "/odoo/action-kam_management.kam_dashboard_action",
    steps: () => [
        {
            content: "The dashboard shows the account as a card",
            trigger: ".o_field_widget[name=account_ids] .o_kanban_record:contains('Tour Key Corp')",
        },
        {
            content: "Open the key accounts from the counter",
            trigger: "button[name=action_open_accounts]",
            run: "click",
        },
        {
            // the dashboard's cards match the next trigger too: wait for it to leave
            content: "The key accounts are open",
            trigger: ".o_breadcrumb .active:contains('Key Accounts')",
        },
        {
            content: "Open the key account",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Key Corp')",
            run: "click",
        },
        {
            content: "Open the Key Account tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=key_account]",
            run: "click",
        },
        {
            content: "The health score is shown",
            trigger: ".o_field_widget[name=kam_health_band]:contains('Yellow')",
        },
        {
            content: "The health breakdown lists the pulse factor",
            trigger: ".o_field_widget[name=kam_health_line_ids] .o_data_row:contains('Pulse')",
        },
        {
            content: "Open the Stakeholders tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=kam_stakeholders]",
            run: "click",
        },
        {
            content: "The stakeholder map lists the champion",
            trigger: ".o_field_widget[name=kam_stakeholder_ids] .o_data_row:contains('Tina Champion')",
        },
        {
            content: "Show the smart buttons that do not fit",
            trigger: ".o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Open the account plans of the account",
            trigger: ".o-dropdown--menu button[name=action_kam_view_plans]",
            run: "click",
        },
        {
            content: "Create a plan",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The plan is for the account",
            trigger: ".o_field_widget[name=partner_id] input:value('Tour Key Corp')",
        },
        {
            content: "Name the plan",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour Growth Plan",
        },
        {
            content: "Open the Objectives tab",
            trigger: ".o_notebook a.nav-link[name=objectives]",
            run: "click",
        },
        {
            content: "Add an objective",
            trigger: ".o_field_widget[name=objective_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Describe the objective",
            trigger: ".o_field_widget[name=objective_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Double the order volume",
        },
        {
            content: "Its KPI",
            trigger: ".o_field_widget[name=objective_ids] .o_data_row .o_field_widget[name=kpi] input",
            run: "edit Orders per quarter",
        },
        {
            content: "Save the plan",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The plan is saved with its objective",
            trigger: ".o_form_saved .o_field_widget[name=objective_ids] .o_data_row:contains('Double the order volume')",
        },
    ],
});
