import { registry } from "@web/core/registry";
import { GraphModel } from "@web/views/graph/graph_model";
import { graphView } from "@web/views/graph/graph_view";

// The two measures drawn side by side, and the last group of purchases, which
// counts the customers with that many or more (kam.buying.model.line).
const BACKTEST_SERIES = ["actual", "predicted"];
const BACKTEST_MAX_PURCHASES = 7;

/**
 * The backtest of a buying model (views/kam_buying_model_views.xml): the
 * purchases made in the holdout beside those predicted, a bar of each per
 * number of repeat purchases before the holdout. A graph draws one measure:
 * each series is read as the measure, its data points labelled with the
 * series' name, which the graph makes a dataset of its own.
 */
export class KamBuyingBacktestGraphModel extends GraphModel {
    async _loadDataPoints(metaData) {
        const { measure } = metaData;
        const dataPoints = [];
        for (const series of BACKTEST_SERIES) {
            metaData.measure = series;
            const label = metaData.fields[series].string;
            for (const point of await super._loadDataPoints(metaData)) {
                const labels = [...point.labels];
                if (metaData.groupBy[0]?.fieldName === "purchases" &&
                    labels[0] === BACKTEST_MAX_PURCHASES) {
                    labels[0] = `${BACKTEST_MAX_PURCHASES}+`;
                }
                dataPoints.push({
                    ...point,
                    labels: [...labels, label],
                    identifier: JSON.stringify([point.identifier, series]),
                });
            }
        }
        metaData.measure = measure;
        return dataPoints;
    }
}

registry.category("views").add("kam_buying_backtest_graph", {
    ...graphView,
    Model: KamBuyingBacktestGraphModel,
});
