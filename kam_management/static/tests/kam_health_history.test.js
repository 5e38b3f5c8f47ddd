import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { describe, expect, test } from "@odoo/hoot";
import { checkDatasets, checkLabels } from "@web/../tests/views/graph/graph_test_helpers";
import { defineModels, fields, models, mountView } from "@web/../tests/web_test_helpers";

// Health shown as a score: the health history's graph (static/src/views/
// kam_health_history_graph.js) and the score bar (static/src/fields/
// kam_score_bar_field.js), on stand-in models.
describe.current.tags("desktop");

class KamTestAccount extends models.Model {
    _name = "kam.test.account";

    name = fields.Char();

    _records = [
        { id: 1, name: "Acme" },
        { id: 2, name: "Bolt" },
    ];
}

class KamTestHistory extends models.Model {
    _name = "kam.test.history";

    partner_id = fields.Many2one({ relation: "kam.test.account" });
    month = fields.Date();
    score = fields.Float({ aggregator: "avg", digits: [16, 1] });

    // Acme has no snapshot in February
    _records = [
        { id: 1, partner_id: 1, month: "2024-01-01", score: 60 },
        { id: 2, partner_id: 1, month: "2024-03-01", score: 40 },
        { id: 3, partner_id: 2, month: "2024-01-01", score: 80 },
        { id: 4, partner_id: 2, month: "2024-02-01", score: 70 },
        { id: 5, partner_id: 2, month: "2024-03-01", score: 76 },
    ];
}

defineMailModels();
defineModels([KamTestAccount, KamTestHistory]);

const GRAPH_ARCH = `
    <graph type="line" stacked="0" js_class="kam_health_history_graph">
        <field name="month" interval="month"/>
        <field name="partner_id"/>
        <field name="score" type="measure"/>
    </graph>`;

test("the health history draws a line per account, not their average", async () => {
    const view = await mountView({
        type: "graph",
        resModel: "kam.test.history",
        arch: GRAPH_ARCH,
        context: { fill_temporal: false },
    });
    checkLabels(view, ["January 2024", "February 2024", "March 2024"]);
    // a month without snapshot of Acme is a gap its line joins over, not a 0
    checkDatasets(
        view,
        ["label", "data", "spanGaps"],
        [
            { label: "Acme", data: [60, null, 40], spanGaps: true },
            { label: "Bolt", data: [80, 70, 76], spanGaps: true },
        ]
    );
});

test("a score reads out of 100, not as a percentage", async () => {
    await mountView({
        type: "form",
        resModel: "kam.test.history",
        resId: 1,
        arch: `<form><field name="score" widget="kam_score_bar"/></form>`,
    });
    // "60.0 / 100", each part a flex item of its own
    expect(".o_progressbar_value").toHaveText(/^60\.0\s*\/\s*100$/);
    expect(".o_progressbar").not.toHaveText(/%/);
});
