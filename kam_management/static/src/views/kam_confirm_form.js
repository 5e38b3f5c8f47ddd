import { registry } from "@web/core/registry";
import { FormController } from "@web/views/form/form_controller";
import { formView } from "@web/views/form/form_view";

/**
 * The form of a record that exists only once the user confirms it: an escalation
 * (it notifies its owner) or an account review (it goes into the printed plan),
 * opened in a dialog whose footer saves or discards it. Odoo's form saves a new
 * record when the user leaves the browser tab or closes it, and a dialog still does
 * on closing: here a new record stays unsaved, and the browser asks before one the
 * user typed in is lost.
 */
export class KamConfirmFormController extends FormController {
    beforeVisibilityChange() {
        if (!this.model.root.isNew) {
            return super.beforeVisibilityChange();
        }
    }

    async beforeUnload(ev) {
        const record = this.model.root;
        if (!record.isNew) {
            return super.beforeUnload(ev);
        }
        if (record.dirty) {
            ev.preventDefault();
            ev.returnValue = "Unsaved changes";
        }
    }
}

registry.category("views").add("kam_confirm_form", {
    ...formView,
    Controller: KamConfirmFormController,
});
