import { registry } from "@web/core/registry";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { KamDashboard } from "./kam_dashboard";

export class KamDashboardKanbanRenderer extends KanbanRenderer {
    static template = "kam_management.KamDashboardKanbanRenderer";
    static components = { ...KanbanRenderer.components, KamDashboard };
}

export const kamDashboardKanbanView = {
    ...kanbanView,
    Renderer: KamDashboardKanbanRenderer,
};

registry.category("views").add("kam_dashboard_kanban", kamDashboardKanbanView);
