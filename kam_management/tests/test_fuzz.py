"""Bad input on every writable field and public method of the KAM addons.

As a KAM user and as a KAM administrator, every field of the addons (the kam.*
models and the fields the addons add to other models) is written with wrong
types, huge and negative numbers, out-of-range dates, lists for many2ones and
strings for numbers, and every public method the addons define is called with
odd arguments. Each call runs in a savepoint rolled back afterwards. The
outcome must be a success or a refusal a user can read (UserError and its
kind: ValidationError, AccessError, MissingError), or an IntegrityError, which
the RPC layer turns into a ValidationError (odoo.service.model.retrying).
Anything else (TypeError, ValueError, OverflowError, a psycopg2 DataError) is
a traceback for the user: the failures are collected and reported together.

Deterministic (fixed seed) and fast: a sample of bad values per field type.
"""

import inspect
import logging
import random
import traceback
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KamCommon

_logger = logging.getLogger(__name__)

SEED = 20
# Bad values by field type; each field gets the first one and a sample of the
# rest (SAMPLE values in all).
SAMPLE = 3
BAD_VALUES = {
    "many2one": [[5], "abc", 10**12, -1, 3.5, {"id": 1}],
    "integer": ["abc", 10**12, -(10**12), 10**7, -1, [1], float("inf")],
    "float": ["abc", 10**400, float("inf"), -(10**12), 10**12, [1]],
    "date": ["0001-01-01", "9999-12-31", 10**12, "abc", "2024-13-45", [1]],
    "char": [[1], {"a": 1}, 10**12, "x" * 10000],
    "boolean": ["abc", [1], 10**12],
    "selection": ["zzz", [1], 10**12],
    "x2many": ["abc", 10**12, [[6, 0, ["x"]]], [[0, 0, "x"]], [[4, -1]], [5]],
}
TYPE_FAMILY = {
    "monetary": "float",
    "datetime": "date",
    "text": "char",
    "html": "char",
    "many2many": "x2many",
    "one2many": "x2many",
}
SEARCHES = [
    ("=", True),
    ("!=", False),
    ("in", [True]),
    ("not in", [True, False]),
    ("in", "abc"),
    ("=", [1]),
    ("like", 10**12),
    (">", "0001-01-01"),
]
ODD_ARGS = [10**12, "abc", [5], None, -1, {"a": 1}, "0001-01-01"]
# Methods not called: the ORM's own entry points that the addons override,
# fuzzed through the fields (create, write) or whose odd arguments only reach
# the ORM (an unknown field name, a wrong domain): their errors are Odoo's.
SKIPPED_METHODS = {
    "init",
    "create",
    "write",
    "copy",
    "copy_data",
    "unlink",
    "read",
    "search",
    "search_fetch",
    "search_count",
    "name_search",
    "default_get",
    "fields_get",
    "get_views",
    "get_view",
    "web_read",
    "web_search_read",
    "read_group",
    "web_read_group",
    "onchange",
}
# A failure fails the test unless its file (or model, when Odoo's code fails on
# a field of the addons with no code of theirs in the way) is listed in PENDING
# with its owner: those are logged as a warning, marked with the owner.
PENDING = {}


@tagged("post_install", "-at_install")
class TestFuzz(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.random = random.Random(SEED)
        cls.records = cls._kam_fuzz_fixtures()

    @classmethod
    def _kam_fuzz_fixtures(cls):
        """A record of each kam.* model on ``account`` (the KAM user's)."""
        env = cls.env
        plan = env["kam.account.plan"].create(
            {
                "name": "Fuzz plan",
                "partner_id": cls.account.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
            }
        )
        review = env["kam.account.review"].create({"plan_id": plan.id})
        records = {
            "res.partner": cls.account,
            "res.company": cls.company,
            "kam.account.plan": plan,
            "kam.account.review": review,
            "kam.account.review.checklist": review.checklist_ids[:1],
            "kam.stakeholder": env["kam.stakeholder"].create(
                {"partner_id": cls.account.id, "contact_id": cls.account_contact.id}
            ),
            "kam.escalation": env["kam.escalation"].create(
                {"partner_id": cls.account.id, "reason": "other"}
            ),
            "kam.satisfaction.survey": env["kam.satisfaction.survey"].create(
                {"partner_id": cls.account.id, "kind": "nps", "score": 8}
            ),
            "kam.usage.reading": env["kam.usage.reading"].create(
                {"partner_id": cls.account.id, "value": 70}
            ),
            "crm.lead": env["crm.lead"].create(
                {"name": "Fuzz deal", "partner_id": cls.account.id}
            ),
            "kam.selection.criterion": cls.criterion_fit,
        }
        for model in env.registry:
            if model.startswith("kam.") and model not in records:
                Model = env[model]
                if not Model._abstract and not Model._transient:
                    records[model] = Model.search([], limit=1)
        return records

    # ------------------------------------------------------------
    # What to fuzz
    # ------------------------------------------------------------
    def _kam_models(self):
        """The models with fields or methods of the addons, sorted."""
        return sorted(
            name
            for name, Model in self.env.registry.items()
            if not Model._abstract
            and (self._kam_fields(name) or self._kam_methods(name))
            and not name.startswith("kam.xlsx")  # streamed, see issue 20
        )

    def _kam_fields(self, model):
        return sorted(
            name
            for name, field in self.env[model]._fields.items()
            if (field._module or "").startswith("kam_management")
            and not field.automatic
            and field.type not in ("binary", "json", "properties", "reference")
        )

    def _kam_methods(self, model):
        """The public methods the addons define on ``model``."""
        names = set()
        for cls in type(self.env[model]).__mro__:
            if not (getattr(cls, "_module", None) or "").startswith("kam_management"):
                continue
            for name, member in vars(cls).items():
                if (
                    not name.startswith("_")
                    and name not in SKIPPED_METHODS
                    and inspect.isfunction(member)
                ):
                    names.add(name)
        return sorted(names)

    def _kam_bad_values(self, field):
        family = TYPE_FAMILY.get(field.type, field.type)
        values = BAD_VALUES.get(family, BAD_VALUES["char"])
        return [values[0], *self.random.sample(values[1:], SAMPLE - 1)]

    def _kam_odd_calls(self, method):
        """Argument lists that fit the signature of ``method``."""
        params = list(inspect.signature(method).parameters.values())[1:]
        positional = [
            p
            for p in params
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.default is p.empty
        ]
        optional = [
            p
            for p in params
            if p.kind == p.POSITIONAL_OR_KEYWORD and p.default is not p.empty
        ]
        odd = self.random.choice(ODD_ARGS)
        if positional:
            return [[odd] * len(positional)]
        return [[], [odd]] if optional else [[]]

    # ------------------------------------------------------------
    # Running a call
    # ------------------------------------------------------------
    def _kam_try(self, failures, user, model, label, call):
        """Run ``call`` in a savepoint always rolled back; collect an outcome
        that is not a success or a user-readable refusal."""
        login, error = user.login, None
        savepoint = self.env.cr.savepoint()
        try:
            call()
            self.env.flush_all()
        except (UserError, IntegrityError):
            error = None  # a refusal the user can read: what the test expects
        except Exception as exc:  # noqa: BLE001 - what the test looks for
            error = exc
        finally:
            self.env.transaction.clear()
            savepoint.close(rollback=True)
        if error:
            # without a frame of the addons: the model's fields, in Odoo's code
            culprit = self._kam_culprit(error) or f"model {model}"
            failures.append((login, label, error, culprit))

    def _kam_culprit(self, exc):
        """The file of the addons deepest in the traceback of ``exc``."""
        files = [
            frame.filename
            for frame in traceback.extract_tb(exc.__traceback__)
            if "/kam_management" in frame.filename
            and "/tests/" not in frame.filename
            and "/site-packages/" not in frame.filename
        ]
        return files[-1].rsplit("/kam_management", 1)[1] if files else ""

    def _kam_record_as(self, model, user):
        """The record of ``model`` to fuzz as ``user``: the fixture, or a new
        wizard with its defaults (None when the user cannot open one)."""
        Model = self.env[model].with_user(user)
        if not Model._transient:
            if model not in self.records:
                # a model the addons extend (a bridge's document): any record
                self.records[model] = self.env[model].search([], limit=1)
            return self.records[model].with_user(user)
        if not model.startswith("kam."):
            # a wizard of another app the addons extend (mail's activity
            # scheduler): it opens only from its action, with its context
            return None
        try:
            with self.env.cr.savepoint():
                return Model.create({})
        except (UserError, IntegrityError):
            return None

    def _kam_fuzz_fields(self, failures, user, model):
        Model = self.env[model].with_user(user)
        # wizards are created with the bad value, records written
        record = None if Model._transient else self._kam_record_as(model, user)
        for fname in self._kam_fields(model):
            for value in self._kam_bad_values(Model._fields[fname]):
                vals = {fname: value}
                if record is None:
                    label = f"{model}.create({vals!r:.80})"
                    self._kam_try(
                        failures, user, model, label, lambda v=vals: Model.create(v)
                    )
                elif record:
                    label = f"{model}({record.id}).write({vals!r:.80})"
                    self._kam_try(
                        failures, user, model, label, lambda v=vals: record.write(v)
                    )

    def _kam_fuzz_methods(self, failures, user, model):
        record = self._kam_record_as(model, user)
        if record is None and not model.startswith("kam."):
            return  # another app's wizard: its methods need the wizard it opens
        target = record or self.env[model].with_user(user)
        for name in self._kam_methods(model):
            method = getattr(type(target), name)
            for args in self._kam_odd_calls(method):
                label = f"{model}({target.ids}).{name}(*{args!r:.80})"
                self._kam_try(
                    failures,
                    user,
                    model,
                    label,
                    lambda n=name, a=args: getattr(target, n)(*a),
                )

    def _kam_key(self, culprit):
        """The key of PENDING for ``culprit``: a file name, or a model."""
        return culprit.rsplit("/", 1)[-1]

    def _kam_fuzz_searches(self, failures, user, model):
        """The fields searched through a method, with each operator the web
        client sends and a few it does not."""
        Model = self.env[model].with_user(user)
        for fname in self._kam_fields(model):
            field = Model._fields[fname]
            # a search method of the addons (not Odoo's for a related field)
            if field.store or field.related or not field.search:
                continue
            for operator, value in SEARCHES:
                domain = [(fname, operator, value)]
                self._kam_try(
                    failures,
                    user,
                    model,
                    f"{model}.search({domain!r})",
                    lambda d=domain: Model.search(d),
                )

    # ------------------------------------------------------------
    # The test
    # ------------------------------------------------------------
    def test_fuzz_fields_and_methods(self):
        failures = []
        for user in (self.user_kam, self.user_kam_manager):
            for model in self._kam_models():
                self._kam_fuzz_fields(failures, user, model)
                self._kam_fuzz_methods(failures, user, model)
                self._kam_fuzz_searches(failures, user, model)
        report = [
            f"{login}: {label} -> {type(exc).__name__}: "
            f"{(str(exc).splitlines() or [''])[0][:120]} [{culprit}] "
            f"({PENDING.get(self._kam_key(culprit), 'NEW')})"
            for login, label, exc, culprit in failures
        ]
        if report:
            _logger.warning("Fuzz failures:\n%s", "\n".join(report))
        unexpected = [
            line
            for line, (__, __, __, culprit) in zip(report, failures, strict=True)
            if self._kam_key(culprit) not in PENDING
        ]
        self.assertFalse(
            unexpected,
            "Calls that end in a traceback:\n" + "\n".join(unexpected),
        )
