import { status } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { ListRenderer } from "@web/views/list/list_renderer";

/**
 * Odoo 18's editable list gives the focus back to its edited line one microtask
 * after each patch (ListRenderer's onPatched). When the user edits a line of an
 * inline list and clicks another tab of the form before the browser paints, the
 * list is patched and then removed by the page change in the same frame: the
 * focus then looked for a cell in a list that is gone ("Oops", TypeError in
 * focusCell). A removed list has no cell to focus. The same guard as Odoo's fix
 * upstream (odoo/odoo#232097); drop this file once the Odoo source has it.
 */
patch(ListRenderer.prototype, {
    focusCell(column, forward = true) {
        if (status(this) === "destroyed") {
            return;
        }
        return super.focusCell(column, forward);
    },
});
