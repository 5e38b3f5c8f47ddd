/** @odoo-module **/

import { registry } from "@web/core/registry";

// A KAM manager fits the buying model of their company from the Reporting menu
// and opens its backtest chart (kam_management/tests/test_buying_model.py).
registry.category("web_tour.tours").add("kam_buying_model_tour", {
    url: "/odoo/key-accounts",
    steps: () => [
        {
            content: "Open the Reporting menu",
            trigger: ".o_menu_sections [data-menu-xmlid='kam_management.kam_menu_reporting']",
            run: "click",
        },
        {
            content: "Open the buying models",
            trigger: ".dropdown-item[data-menu-xmlid='kam_management.kam_menu_buying_models']",
            run: "click",
        },
        {
            content: "No model yet: fit one now",
            trigger: ".o_list_view button[name='action_kam_fit']",
            run: "click",
        },
        {
            content: "The new model is fitted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Fitted')",
        },
        {
            content: "Its backtest has a line per number of repeat purchases",
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:nth-child(8)",
        },
        {
            content: "Open the backtest chart",
            trigger: ".o_form_view button:contains('Backtest Chart')",
            run: "click",
        },
        {
            content: "The chart draws actual and predicted purchases (a lazy graph view)",
            trigger: ".o_graph_view:has(.o_breadcrumb:contains('Backtest')) .o_graph_canvas_container canvas",
        },
    ],
});
