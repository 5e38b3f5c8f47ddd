/** @odoo-module **/

import { registry } from "@web/core/registry";

// A Key Account Manager's day: the landing page on their accounts, a tile, one of their
// key accounts with its health breakdown and its stakeholders, then a new account plan
// with an objective.
// The records are created by kam_management/tests/test_ui.py.
registry.category("web_tour.tours").add("kam_account_tour", {
    url: "/odoo/key-accounts",
    steps: () => [
        {
            content: "A KAM user lands on their own accounts",
            trigger: ".o_searchview_facet:contains('My Accounts')",
        },
        {
            content: "The header counts their accounts",
            trigger: ".o_kam_dashboard .o_kam_dashboard_scope:contains('My accounts')",
        },
        {
            content: "The account is shown as a card",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Key Corp')",
        },
        {
            content: "Show the yellow accounts from their tile",
            trigger: ".o_kam_dashboard_tile[data-tile=yellow]",
            run: "click",
        },
        {
            content: "The tile's filter is set, with My Accounts",
            trigger: ".o_searchview_facet:contains('Yellow')",
        },
        {
            content: "Open the key account from its card",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Key Corp')",
            run: "click",
        },
        {
            content: "The account's form shows its health under the name",
            trigger: ".o_form_view div[name=kam_health_summary] .o_field_widget[name=kam_health_band]:contains('Yellow')",
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
            content: "The health score reads out of 100, not as a percentage",
            trigger:
                ".o_field_widget[name=kam_health_score] .o_progressbar_value:contains('100'):not(:contains('%'))",
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
            content: "Open the account plans of the account: the first smart button",
            trigger: ".o-form-buttonbox > button[name=action_kam_view_plans]:first-child",
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
