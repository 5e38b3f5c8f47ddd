/** @odoo-module **/

import { registry } from "@web/core/registry";

// Edit a line of an inline list, then click another tab of the form at once: the
// gesture that crashed the account plan and review forms ("Oops", TypeError in
// ListRenderer.focusCell). The records are created by
// kam_management/tests/test_ui_forms.py.

/**
 * Type ``value`` in the input of the edited line (``this.anchor``), then click the
 * tab ``awayTab`` the way a busy browser delivers a quick click: the pointer goes
 * down (the input loses the focus and commits its value), and comes up before
 * the browser paints again, while the list's new rendering waits for the next
 * frame. The page change then removes the list in the frame that patches it.
 */
async function typeThenLeave(input, value, awayTab) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const tab = document.querySelector(awayTab);
    for (const type of ["pointerdown", "mousedown"]) {
        tab.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
    }
    tab.focus();
    input.dispatchEvent(new Event("change", { bubbles: true }));
    // the web client's work on the change is done in microtasks: no frame between
    for (let tick = 0; tick < 50; tick++) {
        await Promise.resolve();
    }
    for (const type of ["pointerup", "mouseup", "click"]) {
        tab.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
    }
}

/** ``times`` rounds of: open ``tab``, edit the first line's ``column`` in
 * ``list``, leave at once for the tab ``away`` (labelled ``awayLabel``). */
function editThenLeave({ tab, list, column, away, awayLabel, times }) {
    const awayTab = `.o_form_view .o_notebook a.nav-link[name=${away}]`;
    const steps = [];
    for (let round = 1; round <= times; round++) {
        steps.push(
            {
                content: `Open the tab of the list (round ${round})`,
                trigger: `.o_form_view .o_notebook a.nav-link[name=${tab}]`,
                run: "click",
            },
            {
                content: "Edit the first line",
                trigger: `.o_field_widget[name=${list}] .o_data_row:first td[name=${column}]`,
                run: "click",
            },
            {
                content: `Type in it and click the tab ${awayLabel} at once`,
                trigger: `.o_field_widget[name=${list}] .o_selected_row .o_field_widget[name=${column}] input`,
                async run() {
                    await typeThenLeave(this.anchor, `Edited ${round}`, awayTab);
                },
            },
            {
                content: "The other tab is shown, without error",
                trigger: `${awayTab}.active:contains('${awayLabel}')`,
            }
        );
    }
    return steps;
}

function inlineListSteps(labels) {
    return [
        ...editThenLeave({
            tab: "objectives",
            list: "objective_ids",
            column: "name",
            away: "swot",
            awayLabel: labels.swot,
            times: 2,
        }),
        {
            content: "Save the plan",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The plan is saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Open its reviews",
            trigger: ".o-form-buttonbox button[name=action_view_reviews]",
            run: "click",
        },
        {
            content: "Open the review",
            trigger: ".o_list_view .o_data_row:first td.o_data_cell",
            run: "click",
        },
        ...editThenLeave({
            tab: "checklist",
            list: "checklist_ids",
            column: "note",
            away: "notes",
            awayLabel: labels.notes,
            times: 1,
        }),
        ...editThenLeave({
            tab: "checklist",
            list: "checklist_ids",
            column: "note",
            away: "decisions",
            awayLabel: labels.decisions,
            times: 1,
        }),
        {
            content: "Save the review",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The review is saved",
            trigger: ".o_form_saved",
        },
    ];
}

registry.category("web_tour.tours").add("kam_inline_list_tour", {
    steps: () =>
        inlineListSteps({ swot: "Situation", notes: "Notes", decisions: "Decisions" }),
});

registry.category("web_tour.tours").add("kam_inline_list_tour_es", {
    steps: () =>
        inlineListSteps({ swot: "Situación", notes: "Notas", decisions: "Decisiones" }),
});
