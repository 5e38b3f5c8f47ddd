import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { describe, test } from "@odoo/hoot";
import { checkDatasets, checkLabels } from "@web/../tests/views/graph/graph_test_helpers";
import { defineModels, fields, models, mountView } from "@web/../tests/web_test_helpers";

// The backtest chart of a buying model (static/src/views/
// kam_buying_backtest_graph.js), on a stand-in for kam.buying.model.line.
describe.current.tags("desktop");

class KamTestBacktestLine extends models.Model {
    _name = "kam.test.backtest.line";

    purchases = fields.Integer({ aggregator: false });
    customers = fields.Integer();
    actual = fields.Integer({ string: "Actual Purchases" });
    predicted = fields.Float({ string: "Predicted Purchases" });

    _records = [
        { id: 1, purchases: 0, customers: 50, actual: 10, predicted: 12.5 },
        { id: 2, purchases: 1, customers: 20, actual: 15, predicted: 14 },
        { id: 3, purchases: 7, customers: 4, actual: 30, predicted: 27.5 },
    ];
}

defineMailModels();
defineModels([KamTestBacktestLine]);

test("actual and predicted purchases side by side, the last group 7 or more", async () => {
    const view = await mountView({
        type: "graph",
        resModel: "kam.test.backtest.line",
        arch: `
            <graph type="bar" stacked="0" js_class="kam_buying_backtest_graph">
                <field name="purchases"/>
                <field name="actual" type="measure"/>
                <field name="predicted" type="measure"/>
            </graph>`,
    });
    checkLabels(view, ["0", "1", "7+"]);
    checkDatasets(
        view,
        ["label", "data"],
        [
            { label: "Actual Purchases", data: [10, 15, 30] },
            { label: "Predicted Purchases", data: [12.5, 14, 27.5] },
        ]
    );
});
