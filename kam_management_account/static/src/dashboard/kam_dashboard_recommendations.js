import { patch } from "@web/core/utils/patch";
import { useService } from "@web/core/utils/hooks";
import { KamDashboard } from "@kam_management/views/kam_dashboard";

/** The new recommendations of the accounts on the landing page. */
patch(KamDashboard.prototype, {
    setup() {
        super.setup();
        this.action = useService("action");
    },

    async openNewRecommendations() {
        const action = await this.orm.call("res.partner", "action_kam_new_recommendations", []);
        return this.action.doAction(action);
    },

    openRecommendation(recommendation) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "kam.recommendation",
            res_id: recommendation.id,
            views: [[false, "form"]],
        });
    },
});
