import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";

/**
 * A score out of 100 (health, selection score) on a bar: "25.0 / 100". The
 * progress bar would read "25%", and a score is no percentage.
 */
export class KamScoreBarField extends ProgressBarField {
    get isPercentage() {
        return false;
    }

    get maxValue() {
        return 100;
    }

    formatCurrentValue() {
        // with the digits of the field, as the score reads everywhere else
        // (the bar is never edited: scores are computed)
        const field = this.props.record.fields[this.currentValueField];
        return formatFloat(this.currentValue, { digits: field.digits });
    }
}

export const kamScoreBarField = {
    ...progressBarField,
    component: KamScoreBarField,
    displayName: _t("Score out of 100"),
    supportedOptions: [],
    extractProps: ({ attrs }) => ({ title: attrs.title, overflowClass: "bg-secondary" }),
};

registry.category("fields").add("kam_score_bar", kamScoreBarField);
