import { _t } from "@web/core/l10n/translation";
import { formatCurrency } from "@web/core/currency";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";

/**
 * The whitespace of a key account on its form: a row per unit (the account and
 * the companies of its group), a column per product category, each cell bought
 * (green, with the revenue of 12 months), in the pipeline (amber) or open
 * (grey). A click opens what is behind a cell, or creates a cross-sell
 * opportunity in an open one. One call, kam.whitespace.kam_grid().
 */
export class KamWhitespaceGrid extends Component {
    static template = "kam_management_account.KamWhitespaceGrid";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.dialog = useService("dialog");
        this.state = useState({ grid: null });
        onWillStart(() => this.load(this.props.record.resId));
        onWillUpdateProps((next) => {
            if (next.record.resId !== this.props.record.resId) {
                return this.load(next.record.resId);
            }
        });
    }

    async load(partnerId) {
        this.state.grid = partnerId
            ? await this.orm.call("kam.whitespace", "kam_grid", [partnerId])
            : null;
    }

    cell(unit, categ) {
        return this.state.grid.cells[`${unit.id}-${categ.id}`] || { state: "open" };
    }

    isRecommended(categ) {
        return categ.id in this.state.grid.recommended;
    }

    get counts() {
        const counts = { bought: 0, pipeline: 0, open: 0 };
        const grid = this.state.grid;
        for (const unit of grid.units) {
            for (const categ of grid.categories) {
                counts[this.cell(unit, categ).state]++;
            }
        }
        return counts;
    }

    /** An amount at a glance: "$ 250", "$ 12.4k". */
    amount(value) {
        const big = Math.abs(value) >= 1000;
        return formatCurrency(value, this.state.grid.currency_id, {
            humanReadable: big,
            digits: [16, big ? 1 : 0],
        });
    }

    cellClass(unit, categ) {
        const state = this.cell(unit, categ).state;
        const clickable = state !== "open" || this.state.grid.can_create;
        return `o_kam_whitespace_${state} ${clickable ? "o_kam_whitespace_clickable" : ""}`;
    }

    cellTitle(unit, categ) {
        const cell = this.cell(unit, categ);
        if (cell.state === "bought") {
            return _t("%(category)s: bought %(amount)s in 12 months, last on %(date)s. Click to see the lines.", {
                category: categ.full_name,
                amount: formatCurrency(cell.revenue, this.state.grid.currency_id),
                date: formatDate(deserializeDate(cell.last_date)),
            });
        }
        if (cell.state === "pipeline") {
            const values = {
                category: categ.full_name,
                count: cell.lead_count,
                amount: formatCurrency(cell.pipeline, this.state.grid.currency_id),
            };
            return cell.lead_count === 1
                ? _t("%(category)s: 1 open opportunity, %(amount)s. Click to open it.", values)
                : _t("%(category)s: %(count)s open opportunities, %(amount)s. Click to open them.", values);
        }
        const reason = this.state.grid.recommended[categ.id];
        const parts = [_t("%(category)s: open.", { category: categ.full_name })];
        if (reason) {
            parts.push(_t("Recommended: %(reason)s", { reason }));
        }
        if (this.state.grid.can_create) {
            parts.push(_t("Click to create a cross-sell opportunity."));
        }
        return parts.join(" ");
    }

    async onCellClick(unit, categ) {
        const cell = this.cell(unit, categ);
        const args = [this.props.record.resId, unit.id, categ.id];
        if (cell.state !== "open") {
            const action = await this.orm.call("kam.whitespace", "kam_action_open_cell", args);
            return this.action.doAction(action);
        }
        if (!this.state.grid.can_create) {
            return;
        }
        this.dialog.add(ConfirmationDialog, {
            title: _t("New cross-sell opportunity"),
            body: _t("Create a cross-sell opportunity for %(unit)s in %(category)s, on the current account plan?", {
                unit: unit.name,
                category: categ.full_name,
            }),
            confirmLabel: _t("Create"),
            confirm: async () => {
                const action = await this.orm.call(
                    "kam.whitespace",
                    "kam_action_create_opportunity",
                    args
                );
                await this.action.doAction(action);
            },
            cancel: () => {},
        });
    }
}

registry.category("view_widgets").add("kam_whitespace_grid", { component: KamWhitespaceGrid });
