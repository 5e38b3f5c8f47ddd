from odoo import models
from odoo.tools import SQL


class KamSelectionOrderMixin(models.AbstractModel):
    """Groups of ladders and scales in their own order.

    ``read_group`` orders the groups of a selection by the raw value (the
    alphabet: green before red); the groups of the fields named in
    ``_kam_ordered_selections`` are ordered by their position in the selection
    instead (red, yellow, green), empty values last. The groups of the integer
    scales named in ``_kam_descending_scales`` come highest first (influence 5 at
    the top). An explicit ``desc`` in the order reverses either. Kanban columns
    and lazy groupings are also filled by ``group_expand=True`` on the fields;
    this covers the eager groupings of pivots and graphs, and the workbooks.
    """

    _name = "kam.selection.order.mixin"
    _description = "Selections Grouped in Their Own Order"

    # names of the Selection fields whose groups follow the selection's order
    _kam_ordered_selections = ()
    # names of the Integer fields whose groups come highest first
    _kam_descending_scales = ()

    def _read_group_orderby(self, order, groupby_terms, query):
        # only plain fields match (not "date:month", "partner_id.name"...)
        ordered = {
            spec: self._kam_group_sort_key(spec, sql)
            for spec, sql in groupby_terms.items()
        }
        return super()._read_group_orderby(order, ordered, query)

    def _kam_group_sort_key(self, fname, sql):
        """SQL: the expression the groups of ``fname`` (grouped as ``sql``) are
        sorted on, ascending."""
        if fname in self._kam_ordered_selections:
            # the position in the selection, NULL (last) for an empty value
            values = self._fields[fname].get_values(self.env)
            return SQL("array_position(%s::varchar[], %s::varchar)", values, sql)
        if fname in self._kam_descending_scales:
            return SQL("-(%s)", sql)
        return sql
