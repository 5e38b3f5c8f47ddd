import { registry } from "@web/core/registry";
import { GraphModel } from "@web/views/graph/graph_model";
import { graphView } from "@web/views/graph/graph_view";

/**
 * The health history, a line per account (views/kam_health_snapshot_views.xml).
 * A month without snapshot of an account is absent from its line, which joins
 * the months around it, rather than drawn as a fall to 0: the graph fills the
 * months of the other accounts with 0 in every line.
 */
export class KamHealthHistoryGraphModel extends GraphModel {
    _getData() {
        const data = super._getData(...arguments);
        const { cumulated, mode } = this.metaData;
        if (mode === "line" && !cumulated) {
            for (const dataset of data.datasets) {
                // a point of the account's own data carries its group's domain
                dataset.data = dataset.data.map((value, index) =>
                    dataset.domains[index].length ? value : null
                );
                dataset.spanGaps = true;
            }
        }
        return data;
    }
}

registry.category("views").add("kam_health_history_graph", {
    ...graphView,
    Model: KamHealthHistoryGraphModel,
});
