/** @odoo-module **/

import { registry } from "@web/core/registry";

// A KAM manager's review of the portfolio: the Reporting menus (Portfolio Analysis
// pivot, Strategy x Health matrix), then the portfolio workbook and the health
// history. The download itself
// is checked on the server by kam_management/tests/test_ui.py.
registry.category("web_tour.tours").add("kam_reporting_tour", {
    url: "/odoo/key-accounts",
    steps: () => [
        {
            content: "A manager lands on every key account, without My Accounts",
            trigger: ".o_kam_dashboard .o_kam_dashboard_scope:contains('All key accounts')",
        },
        {
            content: "No filter is set",
            trigger: ".o_searchview:not(:has(.o_searchview_facet))",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_menu_sections [data-menu-xmlid='kam_management.kam_menu_reporting']",
            run: "click",
        },
        {
            content: "Open the Portfolio Analysis",
            trigger: ".dropdown-item[data-menu-xmlid='kam_management.kam_menu_portfolio_analysis']",
            run: "click",
        },
        {
            content: "The pivot shows the key accounts by manager (rows) and health",
            trigger: ".o_pivot_view .o_pivot table th:contains('Kim Account')",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_menu_sections [data-menu-xmlid='kam_management.kam_menu_reporting']",
            run: "click",
        },
        {
            content: "Open the Strategy x Health matrix",
            trigger: ".dropdown-item[data-menu-xmlid='kam_management.kam_menu_strategy_health']",
            run: "click",
        },
        {
            content: "The matrix has the strategies as rows",
            trigger: ".o_pivot_view:has(.o_breadcrumb:contains('Strategy')) .o_pivot th:contains('Selective Investment')",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_menu_sections [data-menu-xmlid='kam_management.kam_menu_reporting']",
            run: "click",
        },
        {
            content: "Export the portfolio workbook",
            trigger: ".dropdown-item[data-menu-xmlid='kam_management.kam_menu_export_portfolio']",
            run: "click",
        },
        {
            content: "The export leaves no error dialog",
            trigger: "body:not(:has(.o_error_dialog)) .o_pivot_view",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_menu_sections [data-menu-xmlid='kam_management.kam_menu_reporting']",
            run: "click",
        },
        {
            content: "Open the Health History",
            trigger: ".dropdown-item[data-menu-xmlid='kam_management.kam_menu_reporting_health_history']",
            run: "click",
        },
        {
            content: "The health history draws its lines per account (a lazy graph view)",
            trigger: ".o_graph_view:has(.o_breadcrumb:contains('Health History')) .o_graph_canvas_container canvas",
        },
    ],
});
