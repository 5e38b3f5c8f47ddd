import io
import re

from dateutil.relativedelta import relativedelta
from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext
from odoo.tools.misc import get_lang, xlsxwriter

from .kam_programme_metrics_wizard import PERCENT_METRICS

# Columns of the portfolio sheet: fields of kam.portfolio.report.
PORTFOLIO_COLUMNS = [
    "partner_id",
    "company_id",
    "kam_user_id",
    "kam_strategy",
    "kam_relationship_stage",
    "kam_since",
    "health_score",
    "health_band",
    "health_trend",
    "selection_score",
    "revenue_12m",
    "revenue_prev_12m",
    "growth",
    "lifetime_revenue",
    "expansion_revenue",
    "open_pipeline",
    "p_active",
    "predicted_revenue_12m",
    "clv",
    "open_escalation_count",
    "plan_progress",
    "gross_margin_12m",
    "margin_percent",
    "discount_12m",
    "cost_to_serve_12m",
    "contribution_12m",
    "payback_months",
    "payback",
]
# Portfolio columns left empty (not 0) where the account has no such figure: the
# column of the figure, the column that says whether it has one.
PORTFOLIO_EMPTY_UNLESS = {
    "selection_score": "selection_scored",
    "health_score": "health_band",
    "health_trend": "health_band",
    "growth": "revenue_prev_12m",
    "margin_percent": "has_margin",
    "payback_months": "payback_months",
    "p_active": "buying_date",
    "predicted_revenue_12m": "buying_date",
    "clv": "buying_date",
}
# Portfolio columns in a format of their own rather than that of their type.
PORTFOLIO_COLUMN_FORMATS = {"p_active": "percent"}
MONEY_COLUMNS = {
    "revenue_12m",
    "lifetime_revenue",
    "revenue_prev_12m",
    "expansion_revenue",
    "open_pipeline",
    "gross_margin_12m",
    "discount_12m",
    "cost_to_serve_12m",
    "contribution_12m",
}
# Rows of the plan sheet: fields of kam.account.plan.
PLAN_FIELDS = [
    "name",
    "partner_id",
    "user_id",
    "state",
    "strategy",
    "date_start",
    "date_end",
    "revenue_target",
    "revenue_actual",
    "expansion_revenue",
    "revenue_achievement",
    "budget",
    "progress",
    "review_cadence",
    "last_review_date",
    "next_review_date",
    "situation",
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
    "resources",
]
# The strftime directives of a language's date format, as Excel's date codes
EXCEL_DATE_CODES = {
    "%d": "dd",
    "%e": "d",
    "%m": "mm",
    "%b": "mmm",
    "%B": "mmmm",
    "%y": "yy",
    "%Y": "yyyy",
    "%a": "ddd",
    "%A": "dddd",
}
# Columns of the plan's lists, a sheet each (see _kam_plan_tables).
PLAN_OBJECTIVE_COLUMNS = [
    "name",
    "kpi",
    "target_value",
    "current_value",
    "unit",
    "progress",
    "deadline",
    "status",
]
PLAN_OPPORTUNITY_COLUMNS = [
    "name",
    "partner_id",
    "kam_growth_type",
    "stage_id",
    "user_id",
    "expected_revenue",
    "probability",
    "date_deadline",
    "date_closed",
]
PLAN_ACTION_COLUMNS = ["name", "user_id", "deadline", "state", "resource"]
PLAN_REVIEW_COLUMNS = [
    "date",
    "review_type",
    "state",
    "health_score",
    "checklist_progress",
    "notes",
    "decisions",
]
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAND_COLORS = {"red": "#F8D7DA", "yellow": "#FFF3CD", "green": "#D1E7DD"}
# The routes of controllers/workbook.py
PORTFOLIO_URL = "/kam_management/workbook/portfolio"
PLAN_URL = "/kam_management/workbook/plan/%s"
# A selection travels in the link (a GET download); 500 ids keep it under the 8 KB
# of a request line that proxies accept by default (nginx).
MAX_SELECTED_ACCOUNTS = 500


class KamXlsxExport(models.AbstractModel):
    """The key account workbooks, built in memory for the user who asks for
    them and streamed in the response to that request (controllers/workbook.py),
    as Odoo's own export does: a workbook is never stored, so no other user can
    read or replace it.

    The builders read whole recordsets (search_read, read_group) with the rights
    and companies of the user: a workbook holds only what the user may read."""

    _name = "kam.xlsx.export"
    _description = "Key Account Workbooks"

    def exists(self):
        # No workbook is a record: /web/content, which browses any model by id,
        # finds none (a 404) instead of querying a table that is gone.
        return self.browse()

    def read(self, fields=None, load="_classic_read"):
        # A model without fields skips the access check of read(), and then
        # fails on the ids over JSON-RPC: refuse like every other model here.
        self.check_access("read")
        return super().read(fields=fields, load=load)

    # ------------------------------------------------------------
    # Download
    # ------------------------------------------------------------
    @api.model
    def _kam_export_portfolio(self, partner_ids=None, date_from=None, date_to=None):
        """The download of the portfolio workbook: of the key accounts among
        ``partner_ids`` (of the whole portfolio when None), with the metrics of
        [date_from, date_to] (the last year by default)."""
        self._kam_check_workbook_access()
        self.env["kam.portfolio.report"].check_access("read")
        date_from, date_to = self._kam_workbook_period(date_from, date_to)
        query = {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
        }
        selected = self._kam_portfolio_selection(partner_ids)
        if selected is not None:
            query["partner_ids"] = ",".join(str(pid) for pid in selected)
        return self._kam_download_action(f"{PORTFOLIO_URL}?{url_encode(query)}")

    @api.model
    def _kam_export_plan(self, plan):
        """The download of the workbook of ``plan``, for a user who may read it."""
        plan.ensure_one()
        self._kam_check_workbook_access()
        plan.check_access("read")
        return self._kam_download_action(PLAN_URL % plan.id)

    @api.model
    def _kam_download_action(self, url):
        return {"type": "ir.actions.act_url", "target": "download", "url": url}

    @api.model
    def _kam_portfolio_filename(self):
        return self.env._(
            "key_accounts_%(date)s.xlsx", date=self.env.company._kam_today()
        )

    @api.model
    def _kam_plan_filename(self, plan):
        filename = self.env._("account_plan_%(plan)s.xlsx", plan=plan.name)
        # characters a file name cannot hold on Windows or macOS
        return re.sub(r'[\\/:*?"<>|]', "_", filename)

    @api.model
    def _kam_check_workbook_access(self):
        """Workbooks are back-office documents: a portal user who may read a
        shared plan still gets none."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(
                self.env._("Only internal users may download key account workbooks.")
            )

    @api.model
    def _kam_portfolio_selection(self, partner_ids):
        """The key accounts of ``partner_ids`` the user may read, for the link:
        None for the whole portfolio (nothing selected, or every account);
        refused past MAX_SELECTED_ACCOUNTS, which a link cannot carry."""
        if partner_ids is None:
            return None
        Report = self.env["kam.portfolio.report"]
        selected = Report.search([("partner_id", "in", list(partner_ids))])
        if selected and len(selected) == Report.search_count([]):
            return None
        if len(selected) > MAX_SELECTED_ACCOUNTS:
            raise UserError(
                self.env._(
                    "%(count)s key accounts are selected, and a workbook of a "
                    "selection holds at most %(limit)s. Select fewer accounts, or "
                    "export the whole portfolio from the Reporting menu.",
                    count=len(selected),
                    limit=MAX_SELECTED_ACCOUNTS,
                )
            )
        return sorted(selected.partner_id.ids)

    @api.model
    def _kam_workbook_period(self, date_from=None, date_to=None):
        """``(date_from, date_to)`` of the metrics sheet as dates (given as dates
        or ISO strings; by default the year up to today); a UserError for a
        value that is not a date, a period in the wrong order or out of range
        (the period and the one before it, compared with it, within real
        dates)."""
        try:
            date_to = fields.Date.to_date(date_to) or self.env.company._kam_today()
            date_from = fields.Date.to_date(date_from) or (
                date_to - relativedelta(years=1)
            )
        except (TypeError, ValueError, OverflowError):
            raise UserError(
                self.env._("The period of the workbook is not made of valid dates.")
            ) from None
        # the period of the metrics sheet: the metrics' own rule, and message
        error = self.env["kam.programme.metrics"]._kam_period_error(date_from, date_to)
        if error:
            raise UserError(error)
        return date_from, date_to

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------
    @api.model
    def _kam_formats(self, workbook):
        return {
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#714B67", "font_color": "#FFFFFF"}
            ),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "bold": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": self._kam_date_format()}),
            # a month as a date, its name in the language of the spreadsheet
            "month": workbook.add_format({"num_format": "mmm yyyy"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "number": workbook.add_format({"num_format": "#,##0.0"}),
            "integer": workbook.add_format({"num_format": "#,##0"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            **{
                band: workbook.add_format({"bg_color": color})
                for band, color in BAND_COLORS.items()
            },
        }

    @api.model
    def _kam_date_format(self):
        """The Excel format of the dates in the user's language (its date format,
        dd/mm/yyyy in Spanish): dates stay dates, shown as Odoo shows them. The
        separators are quoted, which Excel would otherwise localise."""
        codes = []
        for part in re.split(r"(%.)", get_lang(self.env).date_format):
            if part.startswith("%"):
                codes.append(EXCEL_DATE_CODES.get(part, ""))
            elif part:
                codes.append('"{}"'.format(part.replace('"', "")))
        return "".join(codes)

    @api.model
    def _kam_cell(self, model, name, value):
        """The value of field ``name`` of a read() row, as a spreadsheet cell."""
        field = model._fields[name]
        if field.type == "many2one":
            return value[1] if value else ""
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type in ("date", "datetime"):
            return value or ""
        if field.type == "html":
            return html2plaintext(value) if value else ""
        if value is False and field.type not in (
            "boolean",
            "integer",
            "float",
            "monetary",
        ):
            return ""
        return value

    @api.model
    def _kam_write_table(
        self, sheet, formats, model, rows, columns, first_row=0, column_formats=None
    ):
        """The read() ``rows`` as an Excel table (xlsxwriter's ``add_table``:
        header, filters), a column per field of ``columns`` in the format of its
        type, or of ``column_formats`` (``{field: format name}``), the header
        frozen; returns the last row."""
        column_formats = column_formats or {}
        headers = []
        for name in columns:
            label = model._fields[name]._description_string(self.env)
            # Excel refuses a table whose headers repeat (case insensitive)
            while label.lower() in {header.lower() for header in headers}:
                label += " "
            headers.append(label)
        sheet.set_column(0, len(columns) - 1, 18)
        sheet.freeze_panes(first_row + 1, 0)
        if not rows:  # a table needs a data row: the header alone
            sheet.write_row(first_row, 0, headers, formats["header"])
            return first_row
        type_formats = {"monetary": "money", "float": "number", "date": "date"}
        last = first_row + len(rows)
        sheet.add_table(
            first_row,
            0,
            last,
            len(columns) - 1,
            {
                "data": [self._kam_table_row(model, row, columns) for row in rows],
                "columns": [
                    {
                        "header": header,
                        "header_format": formats["header"],
                        "format": formats.get(
                            column_formats.get(name)
                            or type_formats.get(model._fields[name].type)
                        ),
                    }
                    for header, name in zip(headers, columns, strict=True)
                ],
            },
        )
        return last

    @api.model
    def _kam_table_row(self, model, row, columns):
        """The cells of the read() ``row`` (numbers as 0.0 where empty, date
        times as text)."""
        cells = []
        for name in columns:
            field_type = model._fields[name].type
            value = self._kam_cell(model, name, row[name])
            if field_type in ("monetary", "float"):
                value = value or 0.0
            elif field_type == "datetime" and value:
                value = fields.Datetime.to_string(value)
            cells.append(value)
        return cells

    # ------------------------------------------------------------
    # Portfolio workbook
    # ------------------------------------------------------------
    @api.model
    def _kam_portfolio_workbook(self, partner_ids=None, date_from=None, date_to=None):
        """The portfolio workbook (bytes): the key accounts among ``partner_ids``
        (all when None), charts, and the metrics of [date_from, date_to]."""
        self._kam_check_workbook_access()
        date_from, date_to = self._kam_workbook_period(date_from, date_to)
        Report = self.env["kam.portfolio.report"]
        domain = [] if partner_ids is None else [("partner_id", "in", partner_ids)]
        rows = Report.search_read(
            domain,
            PORTFOLIO_COLUMNS
            + ["currency_id", "selection_scored", "has_margin", "buying_date"],
        )
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        formats = self._kam_formats(workbook)
        self._kam_write_portfolio(workbook, formats, rows)
        charts = workbook.add_worksheet(self.env._("Charts"))
        last = self._kam_write_band_chart(workbook, charts, formats, rows)
        self._kam_write_health_trend(workbook, charts, formats, rows, last + 3)
        charts.set_column(0, 1, 18)
        self._kam_write_metrics(workbook, formats, date_from, date_to)
        workbook.close()
        return output.getvalue()

    @api.model
    def _kam_write_portfolio(self, workbook, formats, rows):
        """The portfolio sheet: one row per key account, bands coloured."""
        Report = self.env["kam.portfolio.report"]
        sheet = workbook.add_worksheet(self.env._("Portfolio"))
        last = self._kam_write_table(
            sheet,
            formats,
            Report,
            rows,
            PORTFOLIO_COLUMNS,
            column_formats=PORTFOLIO_COLUMN_FORMATS,
        )
        # a figure the account does not have (not scored, no previous revenue)
        # is an empty cell, not 0: one type per column, and its averages
        for name, flag in PORTFOLIO_EMPTY_UNLESS.items():
            col = PORTFOLIO_COLUMNS.index(name)
            for index, row in enumerate(rows, start=1):
                if not row[flag]:
                    sheet.write_blank(index, col, None, formats["number"])
        band_col = PORTFOLIO_COLUMNS.index("health_band")
        band_labels = dict(
            Report._fields["health_band"]._description_selection(self.env)
        )
        if rows:
            for band, label in band_labels.items():
                sheet.conditional_format(
                    1,
                    band_col,
                    last,
                    band_col,
                    {
                        "type": "cell",
                        "criteria": "==",
                        "value": '"{}"'.format(label.replace('"', '""')),
                        "format": formats[band],
                    },
                )

    @api.model
    def _kam_write_band_chart(self, workbook, charts, formats, rows):
        """Accounts by health band, table and chart; returns the last row."""
        Report = self.env["kam.portfolio.report"]
        band_labels = dict(
            Report._fields["health_band"]._description_selection(self.env)
        )
        charts.write(0, 0, self.env._("Health"), formats["header"])
        charts.write(0, 1, self.env._("Accounts"), formats["header"])
        counts = {band: 0 for band in band_labels}
        no_health = 0
        for row in rows:
            if row["health_band"]:
                counts[row["health_band"]] += 1
            else:
                no_health += 1
        band_rows = [(band_labels[band], count) for band, count in counts.items()]
        band_rows.append((self.env._("No Health"), no_health))
        for index, (label, count) in enumerate(band_rows, start=1):
            charts.write(index, 0, label)
            charts.write_number(index, 1, count)
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": self.env._("Key accounts by health"),
                "categories": [charts.name, 1, 0, len(band_rows), 0],
                "values": [charts.name, 1, 1, len(band_rows), 1],
                "points": [{"fill": {"color": BAND_COLORS[band]}} for band in counts]
                + [{"fill": {"color": "#DDDDDD"}}],
            }
        )
        chart.set_title({"name": self.env._("Key accounts by health")})
        chart.set_legend({"none": True})
        charts.insert_chart(0, 3, chart)

        return len(band_rows)

    @api.model
    def _kam_write_health_trend(self, workbook, charts, formats, rows, start):
        """Average health by month from row ``start`` on, and its line chart."""
        months = self._kam_health_by_month([row["partner_id"][0] for row in rows])
        charts.write(start, 0, self.env._("Month"), formats["header"])
        charts.write(start, 1, self.env._("Average Health"), formats["header"])
        for index, (month, score) in enumerate(months, start=start + 1):
            charts.write_datetime(index, 0, month, formats["month"])
            charts.write_number(index, 1, score, formats["number"])
        if months:
            line = workbook.add_chart({"type": "line"})
            line.add_series(
                {
                    "name": self.env._("Average health"),
                    "categories": [charts.name, start + 1, 0, start + len(months), 0],
                    "values": [charts.name, start + 1, 1, start + len(months), 1],
                }
            )
            line.set_title({"name": self.env._("Average health over time")})
            line.set_y_axis({"min": 0, "max": 100})
            line.set_legend({"none": True})
            charts.insert_chart(16, 3, line)

    @api.model
    def _kam_health_by_month(self, partner_ids):
        """[(first day of the month, average score)] of the accounts' health
        history (the last snapshot of each account and month; a month without
        snapshot is absent), oldest first, in one grouped query."""
        if not partner_ids:
            return []
        groups = self.env["kam.health.history.report"]._read_group(
            [("partner_id", "in", partner_ids)], ["month:month"], ["score:avg"]
        )
        return sorted((month, score or 0.0) for month, score in groups if month)

    @api.model
    def _kam_write_metrics(self, workbook, formats, date_from, date_to):
        """The metrics sheet: the period beside the previous one and the change,
        then the breakdowns per KAM and per strategy, and a revenue chart per
        KAM."""
        Wizard = self.env["kam.programme.metrics.wizard"]
        Metrics = self.env["kam.programme.metrics"]
        metrics, previous = Metrics._kam_programme_metrics_comparison(
            date_from, date_to
        )
        previous_from, previous_to = Metrics._kam_previous_period(date_from, date_to)
        sheet = workbook.add_worksheet(self.env._("Programme Metrics"))
        sheet.write(0, 0, self.env._("Programme metrics"), formats["title"])
        dates = {
            "date_from": (date_from, previous_from),
            "date_to": (date_to, previous_to),
        }
        for row, (name, days) in enumerate(dates.items(), start=1):
            sheet.write(row, 0, Wizard._fields[name]._description_string(self.env))
            for col, day in enumerate(days, start=1):
                sheet.write_datetime(row, col, day, formats["date"])
        headers = [
            self.env._("Metric"),
            self.env._("This Period"),
            self.env._("Previous Period"),
            self.env._("Change"),
        ]
        sheet.write_row(3, 0, headers, formats["header"])
        comparison = Wizard._kam_comparison(metrics, previous)
        for row, (name, current, before) in enumerate(comparison, start=4):
            label = Wizard._fields[name]._description_string(self.env)
            sheet.write(row, 0, label, formats["bold"])
            change = None if None in (current, before) else current - before
            for col, value in enumerate((current, before, change), start=1):
                self._kam_write_metric(sheet, row, col, name, value, formats)
        last = 3 + len(comparison)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 6, 16)
        for title, groupby in Wizard._kam_breakdown_groupbys():
            first = last + 2
            last = self._kam_write_breakdown(
                sheet, formats, first, title, groupby, date_from, date_to
            )
            if groupby == "kam_user_id" and last > first + 1:
                self._kam_write_kam_chart(workbook, sheet, first + 2, last)

    @api.model
    def _kam_write_kam_chart(self, workbook, sheet, first, last):
        """The bar chart of the revenue per KAM, rows ``first`` to ``last``."""
        chart = workbook.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": self.env._("Revenue per KAM"),
                "categories": [sheet.name, first, 0, last, 0],
                "values": [sheet.name, first, 3, last, 3],
            }
        )
        chart.set_title({"name": self.env._("Revenue per KAM")})
        chart.set_legend({"none": True})
        sheet.insert_chart(4, 5, chart)

    @api.model
    def _kam_write_metric(self, sheet, row, col, name, value, formats):
        """The metric ``name`` (of the metrics wizard) as a number in its format,
        a percentage as a fraction that Excel shows with its %; an empty cell
        without a value (a ratio without base, as the ROI without cost)."""
        cell_format = formats[self._kam_metric_kind(name)]
        if value is None:
            sheet.write_blank(row, col, None, cell_format)
        elif name in PERCENT_METRICS:
            sheet.write_number(row, col, value / 100, cell_format)
        else:
            sheet.write_number(row, col, value, cell_format)

    @api.model
    def _kam_metric_kind(self, name):
        """The format of the metric ``name``: percent, money, integer (counts)
        or number (days, with one decimal)."""
        if name in PERCENT_METRICS:
            return "percent"
        field = self.env["kam.programme.metrics.wizard"]._fields[name]
        return {"monetary": "money", "integer": "integer"}.get(field.type, "number")

    @api.model
    def _kam_write_breakdown(
        self, sheet, formats, first, title, groupby, date_from, date_to
    ):
        """A breakdown table (title at row ``first``, groups in the order of the
        groups); returns its last row."""
        Wizard = self.env["kam.programme.metrics.wizard"]
        names = [
            "accounts_end",
            "retention_rate",
            "revenue",
            "revenue_growth",
            "expansion_revenue",
        ]
        sheet.write(first, 0, title, formats["bold"])
        for col, name in enumerate(names, start=1):
            label = Wizard._fields[name]._description_string(self.env)
            sheet.write(first + 1, col, label, formats["header"])
        sheet.write(first + 1, 0, "", formats["header"])
        groups = self.env["kam.programme.metrics"]._kam_programme_metrics_breakdown(
            date_from, date_to, groupby
        )
        for row, (value, metrics) in enumerate(groups, start=first + 2):
            sheet.write(row, 0, Wizard._kam_group_label(groupby, value))
            for col, name in enumerate(names, start=1):
                self._kam_write_metric(sheet, row, col, name, metrics[name], formats)
        return first + 1 + len(groups)

    # ------------------------------------------------------------
    # Account plan workbook
    # ------------------------------------------------------------
    @api.model
    def _kam_plan_workbook(self, plan):
        """The workbook of ``plan`` (bytes): the plan, then its lists."""
        plan.ensure_one()
        self._kam_check_workbook_access()
        plan.check_access("read")
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        formats = self._kam_formats(workbook)
        Plan = self.env["kam.account.plan"]
        [values] = plan.read(PLAN_FIELDS)
        sheet = workbook.add_worksheet(self.env._("Plan"))
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 1, 60)
        for index, name in enumerate(PLAN_FIELDS):
            field = Plan._fields[name]
            sheet.write(
                index, 0, field._description_string(self.env), formats["header"]
            )
            value = self._kam_cell(Plan, name, values[name])
            if field.type == "monetary":
                sheet.write_number(index, 1, value or 0.0, formats["money"])
            elif field.type == "date" and value:
                sheet.write_datetime(index, 1, value, formats["date"])
            else:
                sheet.write(index, 1, value)
        for title, model_name, domain, columns in self._kam_plan_tables(plan):
            model = self.env[model_name]
            sheet = workbook.add_worksheet(title)
            rows = model.search_read(domain, columns)
            self._kam_write_table(sheet, formats, model, rows, columns)
        workbook.close()
        return output.getvalue()

    @api.model
    def _kam_plan_tables(self, plan):
        """``[(sheet title, model, domain, columns)]`` of the plan's lists."""
        return [
            (
                self.env._("Objectives"),
                "kam.account.plan.objective",
                [("plan_id", "=", plan.id)],
                PLAN_OBJECTIVE_COLUMNS,
            ),
            (
                self.env._("Opportunities"),
                "crm.lead",
                [("kam_plan_id", "=", plan.id)],
                PLAN_OPPORTUNITY_COLUMNS,
            ),
            (
                self.env._("Actions"),
                "kam.account.plan.action",
                [("plan_id", "=", plan.id)],
                PLAN_ACTION_COLUMNS,
            ),
            (
                self.env._("Reviews"),
                "kam.account.review",
                [("plan_id", "=", plan.id)],
                PLAN_REVIEW_COLUMNS,
            ),
        ]
