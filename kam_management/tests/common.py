import re
from contextlib import contextmanager

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.translate import TranslationModuleReader


class KamCommon(TransactionCase):
    """Users per group and a small portfolio, shared by the addon's tests.

    - ``user_kam``: KAM user, Key Account Manager of ``account``;
    - ``user_kam_other``: KAM user with no account of their own (an outsider);
    - ``user_kam_manager``: KAM administrator;
    - ``user_sales``: salesman without KAM rights.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One clock for the tests: the superuser of the demo data lives in
        # Brussels and the company in no time zone (UTC), so from 23:00 to
        # midnight UTC "today" would be two different days in one test.
        cls.env.user.partner_id.tz = False
        # The shipped playbooks are data a company edits: the tests of the
        # programme do not count on their steps (test_playbook launches its own)
        cls.env["mail.activity.plan"].search(
            [("kam_trigger", "!=", False)]
        ).active = False
        cls.company = cls.env.company
        cls.company.kam_max_key_accounts = 0
        sales = "sales_team.group_sale_salesman"
        cls.user_kam = new_test_user(
            cls.env,
            login="kam_user",
            name="Kim Account",
            groups=f"{sales},kam_management.group_kam_user",
        )
        cls.user_kam_other = new_test_user(
            cls.env,
            login="kam_other",
            name="Otto Outsider",
            groups=f"{sales},kam_management.group_kam_user",
        )
        cls.user_kam_manager = new_test_user(
            cls.env,
            login="kam_manager",
            name="Mia Manager",
            groups="sales_team.group_sale_manager,kam_management.group_kam_manager",
        )
        cls.user_sales = new_test_user(
            cls.env,
            login="kam_sales",
            name="Sam Sales",
            groups=sales,
        )
        Criterion = cls.env["kam.selection.criterion"]
        cls.criterion_revenue = Criterion.create({"name": "Revenue", "weight": 3})
        cls.criterion_fit = Criterion.create({"name": "Fit", "weight": 1})
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Acme Key Corp",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": cls.user_kam.id,
                "kam_strategy": "selective_investment",
                "kam_relationship_stage": "preferred_supplier",
            }
        )
        cls.account_contact = cls.env["res.partner"].create(
            {
                "name": "Alice Buyer",
                "parent_id": cls.account.id,
                "email": "alice@acme.test",
            }
        )
        cls.candidate = cls.env["res.partner"].create(
            {"name": "Candidate Ltd", "is_company": True}
        )

    @classmethod
    def _kam_setup_group(cls):
        """``account`` becomes a corporate group (DESIGN §11): ``plant``, a unit
        under it, ``workshop``, a unit of the plant (two levels), and
        ``buyer``, a person of the workshop."""
        Partner = cls.env["res.partner"]
        cls.plant = Partner.create(
            {"name": "Acme Plant", "is_company": True, "parent_id": cls.account.id}
        )
        cls.workshop = Partner.create(
            {"name": "Acme Workshop", "is_company": True, "parent_id": cls.plant.id}
        )
        cls.buyer = Partner.create(
            {
                "name": "Wendy Workshop",
                "parent_id": cls.workshop.id,
                "email": "wendy@acme.test",
            }
        )

    @classmethod
    def _kam_load_spanish(cls):
        """Spanish active, with kam_management's terms loaded from es.po (only
        them: loading every module's would take minutes)."""
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"].search(
            [("name", "=", "kam_management")]
        )._update_translations(["es_ES"])

    @classmethod
    def _kam_other_account(cls, **values):
        """ "Other Key Corp", a key account of ``user_kam_other``: an account of
        the company that ``user_kam`` does not manage."""
        return cls.env["res.partner"].create(
            {
                "name": "Other Key Corp",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": cls.user_kam_other.id,
                **values,
            }
        )

    @contextmanager
    def assertRefused(self, exception, regex=""):
        """Assert that the block raises ``exception`` and leaves the data as it was,
        as the rolled back request of a user would."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()


class KamRightsCommon(KamCommon):
    """Two companies and a user of each kind, for the tests that attack the rights
    model as each of them would.

    On top of ``KamCommon`` (``user_kam`` KAM of ``account``, ``user_kam_other``
    outsider, ``user_kam_manager``, ``user_sales``):

    - ``user_team``: KAM user on the team of ``account``;
    - ``user_portal``: portal user, ``portal_contact`` of ``account``;
    - ``company_b`` (EUR) with ``user_company_b``, a KAM user who works in it only
      and is the KAM of ``account_b``, a key account of that company;
    - ``user_kam_elsewhere``: KAM user, KAM of ``account_elsewhere`` (company A);
    - ``user_portal_b``: portal user of company B, ``portal_contact_b`` of
      ``account_b``; ``user_portal_nonkey``: portal user, contact of
      ``candidate`` (not a key account).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.currency"].search([("name", "=", "EUR")]).active = True
        cls.company_b = cls.env["res.company"].create(
            {
                "name": "KAM Europe",
                "currency_id": cls.env.ref("base.EUR").id,
                "kam_max_key_accounts": 0,
            }
        )
        cls.user_team = new_test_user(
            cls.env,
            login="kam_team",
            name="Tea Team",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
        )
        cls.env["kam.team.member"].create(
            {"partner_id": cls.account.id, "user_id": cls.user_team.id, "role": "sales"}
        )
        cls.user_company_b = new_test_user(
            cls.env,
            login="kam_company_b",
            name="Bea Europe",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.account_b = cls.env["res.partner"].create(
            {
                "name": "Euro Key GmbH",
                "is_company": True,
                "company_id": cls.company_b.id,
                "is_key_account": True,
                "kam_user_id": cls.user_company_b.id,
            }
        )
        cls.portal_contact = cls.env["res.partner"].create(
            {"name": "Paula Portal", "parent_id": cls.account.id}
        )
        cls.user_portal = new_test_user(
            cls.env,
            login="kam_portal",
            name="Paula Portal",
            groups="base.group_portal",
            partner_id=cls.portal_contact.id,
        )
        # every user who is not a KAM of this company, to attack with
        cls.attackers = (
            cls.user_sales | cls.user_kam_other | cls.user_portal | cls.user_company_b
        )
        cls._kam_setup_more_users()

    @classmethod
    def _kam_setup_more_users(cls):
        """The users of the HTTP audit that the tests above do not attack with
        (not in ``attackers``, so that their expectations stay as they are)."""
        kam = "sales_team.group_sale_salesman,kam_management.group_kam_user"
        cls.user_kam_elsewhere = new_test_user(
            cls.env, login="kam_elsewhere", name="Ella Elsewhere", groups=kam
        )
        cls.account_elsewhere = cls.env["res.partner"].create(
            {
                "name": "Other Key SA",
                "is_company": True,
                "company_id": cls.company.id,
                "is_key_account": True,
                "kam_user_id": cls.user_kam_elsewhere.id,
            }
        )
        cls.portal_contact_b = cls.env["res.partner"].create(
            {"name": "Pablo Portal", "parent_id": cls.account_b.id}
        )
        cls.user_portal_b = new_test_user(
            cls.env,
            login="kam_portal_b",
            name="Pablo Portal",
            groups="base.group_portal",
            partner_id=cls.portal_contact_b.id,
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.candidate_contact = cls.env["res.partner"].create(
            {"name": "Nora Nonkey", "parent_id": cls.candidate.id}
        )
        cls.user_portal_nonkey = new_test_user(
            cls.env,
            login="kam_portal_nonkey",
            name="Nora Nonkey",
            groups="base.group_portal",
            partner_id=cls.candidate_contact.id,
        )


class KamTranslationCheck:
    """Mixed into a TransactionCase with the addon's name in ``_kam_addon``: its
    Spanish translation covers every term of the addon, with the same
    placeholders, so that no screen shows English to a Spanish user.

    The terms are exported afresh from the installed database by Odoo's own
    exporter (what ``--i18n-export`` writes to the .pot), not read from the
    committed .pot: a term added to the code but never exported fails here."""

    _kam_addon = None
    # Odoo's test loader runs only the test methods a class defines itself,
    # unless this is set: each addon's TestTranslations inherits them
    allow_inherited_tests_method = True
    PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%[sd]")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reader = TranslationModuleReader(cls.env.cr, modules=[cls._kam_addon])
        cls.terms = sorted({row[4] for row in reader})  # (module, type, ..., src, ..)
        es_po = f"{get_module_path(cls._kam_addon)}/i18n/es.po"
        cls.spanish = {entry.msgid: entry for entry in polib.pofile(es_po)}

    def _kam_translation(self, term):
        entry = self.spanish.get(term)
        return entry.msgstr if entry and not entry.fuzzy else ""

    def test_every_term_translated(self):
        self.assertTrue(self.terms, f"no term exported for {self._kam_addon}")
        missing = [term for term in self.terms if not self._kam_translation(term)]
        self.assertFalse(
            missing,
            f"{len(missing)} terms of {self._kam_addon} not translated in es.po "
            "(export the template and translate them):\n" + "\n".join(missing),
        )

    def test_placeholders_kept(self):
        wrong = [
            term
            for term in self.terms
            if self._kam_translation(term)
            and sorted(self.PLACEHOLDER.findall(term))
            != sorted(self.PLACEHOLDER.findall(self._kam_translation(term)))
        ]
        self.assertFalse(wrong, f"placeholders differ in es.po: {wrong}")
