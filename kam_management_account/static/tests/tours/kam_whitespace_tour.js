import { registry } from "@web/core/registry";

// The KAM reads the whitespace of their key account and opens a cross-sell
// opportunity in an open cell. The records are created by
// kam_management_account/tests/test_whitespace_ui.py.
registry.category("web_tour.tours").add("kam_whitespace_tour", {
    steps: () => [
        {
            content: "Open the Whitespace tab of the key account",
            trigger: ".o_notebook_headers a:contains('Whitespace')",
            run: "click",
        },
        {
            content: "The plant's row shows what it bought",
            trigger: ".o_kam_whitespace tr:contains('Tour Plant') td.o_kam_whitespace_bought:contains('1.2k')",
        },
        {
            content: "The category in the pipeline is amber",
            trigger: ".o_kam_whitespace tr:contains('Tour Key Corp') td.o_kam_whitespace_pipeline",
        },
        {
            content: "Click an open cell of the plant",
            trigger: ".o_kam_whitespace tr:contains('Tour Plant') td.o_kam_whitespace_open",
            run: "click",
        },
        {
            content: "Confirm the new cross-sell opportunity",
            trigger: ".modal-footer button:contains('Create')",
            run: "click",
        },
        {
            content: "The opportunity opens, tagged with the category",
            trigger: ".o_form_view .o_field_widget[name=kam_categ_ids] .badge",
        },
    ],
});
