import { _t } from "@web/core/l10n/translation";
import { useBus, useService } from "@web/core/utils/hooks";
import { Component, onWillStart } from "@odoo/owl";

/**
 * The header of the Key Accounts landing page: tiles with the figures of
 * res.partner.kam_dashboard_data(), each setting a filter of the search view below
 * (with "My Accounts" for a KAM user, whose figures count their own accounts).
 */
export class KamDashboard extends Component {
    static template = "kam_management.KamDashboard";
    static props = {};

    setup() {
        this.orm = useService("orm");
        // the active tile follows the search (a facet removed, a filter toggled)
        useBus(this.env.searchModel, "update", () => this.render());
        onWillStart(async () => {
            this.data = await this.orm.call("res.partner", "kam_dashboard_data", []);
        });
    }

    get healthTiles() {
        return [
            {
                name: "red",
                filter: "health_red",
                label: _t("Red"),
                help: _t("Accounts whose health is red"),
                color: "danger",
            },
            {
                name: "yellow",
                filter: "health_yellow",
                label: _t("Yellow"),
                help: _t("Accounts whose health is yellow"),
                color: "warning",
            },
            {
                name: "green",
                filter: "health_green",
                label: _t("Green"),
                help: _t("Accounts whose health is green"),
                color: "success",
            },
            {
                name: "not_scored",
                filter: "health_none",
                label: _t("Not scored"),
                help: _t("Accounts without a health score yet"),
                color: "secondary",
            },
        ];
    }

    get attentionTiles() {
        return [
            {
                name: "falling",
                filter: "health_falling",
                label: _t("Falling health"),
                help: _t("Accounts whose health fell in the last 30 days"),
                icon: "fa-arrow-down",
            },
            {
                name: "review_overdue",
                filter: "review_overdue",
                label: _t("Reviews overdue"),
                help: _t("Accounts with an active plan past its review date"),
                icon: "fa-calendar-times-o",
            },
            {
                // a number of accounts, as every tile (its filter shows them);
                // beside it, their open escalations, as the cards count them
                name: "escalation_open",
                filter: "escalation_open",
                label: _t("Escalated accounts"),
                help: _t("Accounts with an escalation new or in progress"),
                icon: "fa-exclamation-triangle",
                detail: this.openEscalationsText(this.data.open_escalations),
            },
            {
                name: "stakeholder_due",
                filter: "stakeholder_due",
                label: _t("Stakeholders due"),
                help: _t("Accounts with a stakeholder past their next contact date"),
                icon: "fa-user-times",
            },
        ];
    }

    /** "1 open escalation", "3 open escalations": the words of the cards. */
    openEscalationsText(count) {
        return count === 1 ? _t("1 open escalation") : _t("%s open escalations", count);
    }

    get scopeFilters() {
        return this.data.mine_only ? ["my_accounts"] : [];
    }

    /** The names of the filters active in the search. */
    get activeFilters() {
        const searchModel = this.env.searchModel;
        return new Set(
            searchModel.query.map(({ searchItemId }) => searchModel.searchItems[searchItemId].name)
        );
    }

    isActive(tile) {
        return this.activeFilters.has(tile.filter);
    }

    /**
     * Shows the accounts of the tile: clears the search and sets the tile's filter
     * (and "My Accounts" for a KAM user); a click on the active tile removes it.
     */
    onTileClick(tile) {
        const names = this.isActive(tile) ? this.scopeFilters : [...this.scopeFilters, tile.filter];
        const searchModel = this.env.searchModel;
        const items = searchModel.getSearchItems((item) => names.includes(item.name));
        const last = items.pop();
        // one search for the whole change: only the last step notifies the view
        searchModel.blockNotification = true;
        searchModel.clearQuery();
        for (const item of items) {
            searchModel.toggleSearchItem(item.id);
        }
        searchModel.blockNotification = false;
        if (last) {
            searchModel.toggleSearchItem(last.id);
        } else {
            searchModel.clearQuery();
        }
    }
}
