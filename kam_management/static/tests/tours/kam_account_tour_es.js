/** @odoo-module **/

import { registry } from "@web/core/registry";

// The same day of a Key Account Manager, in Spanish: the landing page, a tile, the
// account's form with its health and the evidence of its pulse, in the reader's
// language and date format. The records are created by kam_management/tests/test_ui.py.
registry.category("web_tour.tours").add("kam_account_tour_es", {
    url: "/odoo/key-accounts",
    steps: () => [
        {
            content: "A KAM user lands on their own accounts",
            trigger: ".o_searchview_facet:contains('Mis cuentas')",
        },
        {
            content: "Show the yellow accounts from their tile",
            trigger: ".o_kam_dashboard_tile[data-tile=yellow]:contains('Amarillo')",
            run: "click",
        },
        {
            content: "The tile's filter is set",
            trigger: ".o_searchview_facet:contains('Amarillo')",
        },
        {
            content: "Open the key account from its card",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Key Corp')",
            run: "click",
        },
        {
            content: "The form shows its health under the name, in Spanish",
            trigger: ".o_form_view div[name=kam_health_summary] .o_field_widget[name=kam_health_band]:contains('Amarillo')",
        },
        {
            content: "Open the Key Account tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=key_account]:contains('Cuenta clave')",
            run: "click",
        },
        {
            content: "The pulse's evidence is written in Spanish, with a Spanish date",
            trigger: ".o_field_widget[name=kam_health_line_ids] .o_data_row:contains('pulso del KAM 3/5 el')",
        },
    ],
});
