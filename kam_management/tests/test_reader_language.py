from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import KamCommon

REVIEW_DUE = "kam_management.mail_activity_type_kam_review_due"


@tagged("post_install", "-at_install")
class TestReaderLanguage(KamCommon):
    """Texts written by the scheduled actions are read in the reader's language
    (DESIGN section 6): the health evidence is rendered when read, escalation
    texts and reminders are written in the language of the user they are for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.Engine = cls.env["kam.health.engine"]
        cls.usage = cls.env.ref("kam_management.kam_health_factor_usage")

    def _in(self, lang, records):
        return records.with_context(lang=lang)

    def _line(self, code, values):
        """A snapshot line of the usage factor with the evidence ``code`` (a
        snapshot a day, going back)."""
        self.days_back = getattr(self, "days_back", 0) + 1
        snapshot = self.env["kam.health.snapshot"].create(
            {
                "partner_id": self.account.id,
                "date": self.today - timedelta(days=self.days_back),
                "line_ids": [Command.create({"factor_id": self.usage.id})],
            }
        )
        snapshot.line_ids.write({"evidence_code": code, "evidence_values": values})
        return snapshot.line_ids

    def _run_health(self):
        self.Engine._kam_health_run(self.account.ids)
        snapshot = self.env["kam.health.snapshot"].search(
            [("partner_id", "=", self.account.id), ("date", "=", self.today)]
        )
        return {line.factor_id.code: line for line in snapshot.line_ids}

    # ------------------------------------------------------------
    # Health evidence
    # ------------------------------------------------------------
    def test_evidence_in_spanish_and_english_from_one_snapshot(self):
        day = self.today - timedelta(days=3)
        self.account.kam_pulse = 4  # dated today by the write
        self.account.kam_pulse_date = day
        self.env["kam.usage.reading"].create(
            {"partner_id": self.account.id, "date": day, "value": 80}
        )
        lines = self._run_health()
        pulse, usage = lines["pulse"], lines["usage"]
        self.assertEqual(pulse.evidence_code, "pulse")
        self.assertEqual(
            self._in("en_US", pulse).evidence,
            f"KAM pulse 4/5 on {day.strftime('%m/%d/%Y')}",
        )
        self.assertEqual(
            self._in("es_ES", pulse).evidence,
            f"pulso del KAM 4/5 el {day.strftime('%d/%m/%Y')}",
        )
        self.assertEqual(
            self._in("en_US", usage).evidence,
            "average usage 80/100 over 1 reading in 90 days, last on "
            f"{day.strftime('%m/%d/%Y')}",
        )
        self.assertEqual(
            self._in("es_ES", usage).evidence,
            "uso medio de 80/100 en 1 lectura en 90 días, la última el "
            f"{day.strftime('%d/%m/%Y')}",
        )
        # no data: the reason in the reader's language too
        self.assertEqual(
            self._in("es_ES", lines["relationship"]).evidence,
            "sin datos: ninguna parte interesada mapeada",
        )

    def test_plurals_in_both_languages(self):
        day = fields.Date.to_string(self.today)
        one = self._line("usage", {"average": 50, "count": 1, "date": day})
        two = self._line("usage", {"average": 50, "count": 2, "date": day})
        self.assertIn("over 1 reading in", self._in("en_US", one).evidence)
        self.assertIn("over 2 readings in", self._in("en_US", two).evidence)
        self.assertIn("en 1 lectura en", self._in("es_ES", one).evidence)
        self.assertIn("en 2 lecturas en", self._in("es_ES", two).evidence)
        values = {
            "amount": 1000,
            "weighted": 500,
            "revenue": 10000,
            "currency_id": self.env.company.currency_id.id,
        }
        one = self._line("growth", dict(values, count=1))
        two = self._line("growth", dict(values, count=2))
        self.assertIn("1 open opportunity worth", self._in("en_US", one).evidence)
        self.assertIn("2 open opportunities worth", self._in("en_US", two).evidence)
        self.assertIn("1 oportunidad abierta", self._in("es_ES", one).evidence)
        self.assertIn("2 oportunidades abiertas", self._in("es_ES", two).evidence)
        engagement = self._line(
            "engagement",
            {
                "count": 3,
                "messages": 1,
                "activities": 2,
                "meetings": 0,
                "cadence": 4,
                "days": 1,
            },
        )
        self.assertEqual(
            self._in("en_US", engagement).evidence,
            "3 interactions in 90 days (1 message, 2 activities, 0 meetings; 4 "
            "expected), last 1 day ago",
        )
        self.assertEqual(
            self._in("es_ES", engagement).evidence,
            "3 interacciones en 90 días (1 mensaje, 2 actividades, 0 reuniones; "
            "previstas: 4), la última hace 1 día",
        )

    def test_amounts_in_the_reader_number_format(self):
        line = self._line(
            "revenue_new",
            {
                "origin": "opportunities",
                "current": 12500,
                "previous": 0,
                "currency_id": self.env.ref("base.EUR").id,
            },
        )
        self.assertIn("12,500", self._in("en_US", line).evidence)
        self.assertIn("12.500", self._in("es_ES", line).evidence)
        self.assertIn("oportunidades ganadas", self._in("es_ES", line).evidence)

    def test_text_written_by_hand_and_older_lines(self):
        # lines without a code (computed before 18.0.1.1.0, imported, written by
        # hand) show their text as it is, in any language
        line = self._line("usage", {"average": 50, "count": 1, "date": "2026-01-01"})
        line.evidence = "checked with the customer"
        self.assertFalse(line.evidence_code)
        self.assertEqual(line.evidence_text, "checked with the customer")
        self.assertEqual(self._in("es_ES", line).evidence, "checked with the customer")

    # ------------------------------------------------------------
    # Escalations and reminders
    # ------------------------------------------------------------
    def test_escalation_texts_in_the_kam_language(self):
        self.user_kam.lang = "es_ES"
        self.account.write(
            {
                "kam_health_score": 30,
                "kam_health_band": "red",
                "kam_health_date": self.today,
            }
        )
        Escalation = self.env["kam.escalation"].with_context(lang="en_US")
        Escalation._cron_kam_escalations()
        escalation = Escalation.search(
            [("partner_id", "=", self.account.id), ("reason", "=", "low_health")]
        )
        self.assertEqual(len(escalation), 1)
        self.assertEqual(
            escalation.evidence,
            "La puntuación de salud 30 está en la franja roja.",
        )
        bodies = escalation.message_ids.mapped("body")
        self.assertTrue(
            any("Evidencia: La puntuación de salud" in body for body in bodies),
            bodies,
        )
        activity = escalation.activity_ids
        self.assertEqual(activity.user_id, self.user_kam)
        self.assertEqual(activity.summary, "Actuar sobre el escalado")

    def test_review_reminder_in_the_owner_language(self):
        self.user_kam.lang = "es_ES"
        plan = self.env["kam.account.plan"].create(
            {
                "name": "Acme Plan",
                "partner_id": self.account.id,
                "user_id": self.user_kam.id,
                "date_start": self.today - relativedelta(months=3, days=-5),
                "date_end": self.today + relativedelta(months=9),
            }
        )
        plan.action_activate()
        self.env["kam.account.plan"].with_context(lang="en_US")._cron_remind_reviews()
        reminder = plan.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(REVIEW_DUE)
        )
        self.assertEqual(reminder.user_id, self.user_kam)
        self.assertEqual(reminder.summary, "Revisión de cuenta pendiente: Acme Plan")
