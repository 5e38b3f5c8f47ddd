import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { describe, expect, test } from "@odoo/hoot";
import {
    contains,
    defineModels,
    fields,
    getFacetTexts,
    models,
    mountView,
    onRpc,
    serverState,
} from "@web/../tests/web_test_helpers";

// The header of the Key Accounts landing page (static/src/views/kam_dashboard.js) on a
// kanban of a stand-in model: the figures come from a mocked kam_dashboard_data.
describe.current.tags("desktop");

class KamAccount extends models.Model {
    _name = "kam.account";

    name = fields.Char();
    kam_user_id = fields.Many2one({ relation: "res.users" });
    kam_health_band = fields.Selection({
        selection: [
            ["red", "Red"],
            ["yellow", "Yellow"],
            ["green", "Green"],
        ],
    });

    _records = [
        { id: 1, name: "Mine Red", kam_user_id: serverState.userId, kam_health_band: "red" },
        { id: 2, name: "Mine Green", kam_user_id: serverState.userId, kam_health_band: "green" },
        { id: 3, name: "Other Red", kam_user_id: false, kam_health_band: "red" },
        { id: 4, name: "Mine Unscored", kam_user_id: serverState.userId, kam_health_band: false },
    ];
}

defineMailModels();
defineModels([KamAccount]);

const FIGURES = {
    total: 3,
    red: 1,
    yellow: 0,
    green: 1,
    not_scored: 1,
    falling: 2,
    review_overdue: 4,
    escalation_open: 5,
    stakeholder_due: 6,
    open_escalations: 7,
};

async function mountDashboard(data) {
    onRpc("res.partner", "kam_dashboard_data", () => data);
    await mountView({
        type: "kanban",
        resModel: "kam.account",
        arch: `
            <kanban js_class="kam_dashboard_kanban">
                <templates><t t-name="card"><field name="name"/></t></templates>
            </kanban>`,
        searchViewArch: `
            <search>
                <filter string="My Accounts" name="my_accounts" domain="[('kam_user_id', '=', uid)]"/>
                <separator/>
                <filter string="Red" name="health_red" domain="[('kam_health_band', '=', 'red')]"/>
                <filter string="Yellow" name="health_yellow" domain="[('kam_health_band', '=', 'yellow')]"/>
                <filter string="Green" name="health_green" domain="[('kam_health_band', '=', 'green')]"/>
                <filter string="Not Scored" name="health_none" domain="[('kam_health_band', '=', False)]"/>
            </search>`,
        context: data.mine_only ? { search_default_my_accounts: 1 } : {},
    });
}

test("the tiles show the figures of kam_dashboard_data", async () => {
    await mountDashboard({ ...FIGURES, mine_only: true });
    expect(".o_kam_dashboard").toHaveCount(1);
    expect(".o_kam_dashboard_scope").toHaveText("My accounts\n3");
    expect(".o_kam_dashboard_tile").toHaveCount(8);
    expect(".o_kam_dashboard_tile[data-tile=red]").toHaveText("1\nRed");
    expect(".o_kam_dashboard_tile[data-tile=not_scored]").toHaveText("1\nNot scored");
    expect(".o_kam_dashboard_tile[data-tile=stakeholder_due]").toHaveText("6\nStakeholders due");
    expect(".o_kam_dashboard_tile[data-tile=escalation_open]").toHaveText(
        "5\nEscalated accounts\n7 open escalations"
    );
    expect(getFacetTexts()).toEqual(["My Accounts"]);
    expect(".o_kanban_record:not(.o_kanban_ghost)").toHaveCount(3);
});

test("a tile filters the kanban, with My Accounts for a KAM user", async () => {
    await mountDashboard({ ...FIGURES, mine_only: true });
    await contains(".o_kam_dashboard_tile[data-tile=red]").click();
    expect(getFacetTexts()).toEqual(["My Accounts", "Red"]);
    expect(".o_kanban_record:not(.o_kanban_ghost)").toHaveCount(1);
    expect(".o_kanban_record:not(.o_kanban_ghost)").toHaveText("Mine Red");
    expect(".o_kam_dashboard_tile[data-tile=red]").toHaveClass("active");
    // another tile replaces it; a click on the active tile removes it
    await contains(".o_kam_dashboard_tile[data-tile=not_scored]").click();
    expect(getFacetTexts()).toEqual(["My Accounts", "Not Scored"]);
    expect(".o_kanban_record:not(.o_kanban_ghost)").toHaveText("Mine Unscored");
    await contains(".o_kam_dashboard_tile[data-tile=not_scored]").click();
    expect(getFacetTexts()).toEqual(["My Accounts"]);
    expect(".o_kam_dashboard_tile.active").toHaveCount(0);
});

test("a manager's tile filters every account", async () => {
    await mountDashboard({ ...FIGURES, total: 4, red: 2, mine_only: false });
    expect(".o_kam_dashboard_scope").toHaveText("All key accounts\n4");
    expect(getFacetTexts()).toEqual([]);
    await contains(".o_kam_dashboard_tile[data-tile=red]").click();
    expect(getFacetTexts()).toEqual(["Red"]);
    expect(".o_kanban_record:not(.o_kanban_ghost)").toHaveCount(2);
});

test("the escalation tile counts the accounts and, as the cards, their escalations", async () => {
    await mountDashboard({ ...FIGURES, escalation_open: 1, open_escalations: 1, mine_only: true });
    expect(".o_kam_dashboard_tile[data-tile=escalation_open]").toHaveText(
        "1\nEscalated accounts\n1 open escalation"
    );
});

test("no escalation, no count of escalations", async () => {
    await mountDashboard({ ...FIGURES, escalation_open: 0, open_escalations: 0, mine_only: true });
    expect(".o_kam_dashboard_tile[data-tile=escalation_open]").toHaveText("0\nEscalated accounts");
    expect(".o_kam_dashboard_tile_detail").toHaveCount(0);
});
