/** @odoo-module **/

import { registry } from "@web/core/registry";

// A warehouse user (no Key Account Management rights) opens Inventory > Deliveries,
// keeps the deliveries to key accounts and opens one: it shows the key account
// badge and who the Key Account Manager is. The records are created by
// kam_management_stock/tests/test_ui.py.
registry.category("web_tour.tours").add("kam_delivery_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Inventory",
            trigger: ".o_app[data-menu-xmlid='stock.menu_stock_root']",
            run: "click",
        },
        {
            content: "Open the Operations menu",
            trigger: "button[data-menu-xmlid='stock.menu_stock_warehouse_mgmt']",
            run: "click",
        },
        {
            content: "Open the deliveries",
            trigger: ".dropdown-item[data-menu-xmlid='stock.out_picking']",
            run: "click",
        },
        {
            content: "The deliveries list shows the key account column",
            trigger: ".o_list_view th[data-name=is_key_account]",
        },
        {
            content: "The deliveries of other customers are listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Walk-in Ltd')",
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep the key accounts",
            trigger: ".o_filter_menu .o_menu_item:contains('Key Accounts')",
            run: "click",
        },
        {
            content: "The filter is applied",
            trigger: ".o_searchview_facet:contains('Key Accounts')",
        },
        {
            content: "Only the deliveries to key accounts are left",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Walk-in Ltd')))",
        },
        {
            content: "Open the delivery to the key account",
            trigger: ".o_list_view .o_data_row td[name=partner_id]:contains('Tour Key Corp')",
            run: "click",
        },
        {
            content: "The delivery shows the key account badge",
            trigger: ".o_form_view div[name=kam_key_account] .badge:contains('Key Account')",
        },
        {
            content: "The delivery shows the Key Account Manager",
            trigger: ".o_form_view .o_field_widget[name=kam_user_id]:contains('Kim Account')",
        },
        {
            content: "The delivery is starred",
            trigger: ".o_form_view .o_field_widget[name=priority] .fa-star",
        },
    ],
});
