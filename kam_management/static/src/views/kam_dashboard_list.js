import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";
import { KamDashboard } from "./kam_dashboard";

export class KamDashboardListRenderer extends ListRenderer {
    static template = "kam_management.KamDashboardListRenderer";
    static components = { ...ListRenderer.components, KamDashboard };
}

export const kamDashboardListView = {
    ...listView,
    Renderer: KamDashboardListRenderer,
};

registry.category("views").add("kam_dashboard_list", kamDashboardListView);
