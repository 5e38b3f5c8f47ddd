"""The scheduled actions of the addons run by real Odoo processes: twice at the same
moment, and killed mid-way (issue 28, DESIGN section 16).

Companies run several cron workers and servers over one database; ir.cron's row lock
keeps one worker on a job, but two servers' "Run Manually", or a worker whose lock
was lost, can start the same job twice, and a worker can be killed (OOM killer,
deployment, ``kill -9``) in the middle of a run that commits batch by batch. This
script checks that neither duplicates nor loses work:

1. builds the data on a copy of the installed test database (``--accounts`` key
   accounts with their contacts, messages, deals and surveys as in
   benchmarks/health_cron.py, an account plan due for review and a stakeholder on
   each of a part of them, overdue escalations);
2. *reference*: on a copy, one process runs each scheduled action once;
3. *twice*: on a copy, two processes start each scheduled action at the same
   moment (a barrier before each), calling its code as ir.cron does but without
   ir.cron's row lock;
4. *killed*: on a copy, one process starts each scheduled action and gets
   ``kill -9`` once a batch is committed and others remain (ir.cron's progress
   record says so); a second process then runs it again;
5. compares: no duplicate (one snapshot and one set of lines per account and
   day, one open escalation per account and reason, one open activity per
   record and type) and the same figures as the reference (nothing lost); a run
   that logs an ERROR fails too.

Why a script and not a test module: Odoo's test runners run a test in one
transaction of one process, rolled back at its end; a second process would not see
its data, and a test may not commit or be killed. The processes here are ``odoo-bin
shell`` processes, each with its own registry and connections, as two servers.
scripts/test.sh runs it on its crm database (and apps database, for the bridges'
scheduled actions). Exit status: 0 passed, 1 failed, 3 skipped (the machine cannot
start a second Odoo process: the message says why).

Usage (the virtual environment's Python)::

    python scripts/crons_concurrency.py --database kam_test --config odoo.conf
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

PROJECT_DIR = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))
SKIPPED = 3
# Memory an Odoo shell process takes with the addons loaded (measured: ~250 MB).
PROCESS_MB = 400
# The scheduled actions, in the order they depend on each other (escalation rules
# read the health), and the module that must be installed for each.
CRONS = [
    ("kam_management.ir_cron_kam_compute_health", "kam_management"),
    ("kam_management.ir_cron_kam_escalation", "kam_management"),
    ("kam_management.kam_account_plan_cron_remind_reviews", "kam_management"),
    ("kam_management.ir_cron_kam_stakeholder_contact_due", "kam_management"),
    ("kam_management.ir_cron_kam_suggest_scores", "kam_management"),
    ("kam_management.ir_cron_kam_fit_buying_models", "kam_management"),
    (
        "kam_management_account.ir_cron_kam_refresh_recommendations",
        "kam_management_account",
    ),
]
# Those with batches committed one by one, long enough to be killed mid-way.
KILLED_CRONS = {
    "kam_management.ir_cron_kam_compute_health",
    "kam_management.ir_cron_kam_escalation",
    "kam_management.kam_account_plan_cron_remind_reviews",
    "kam_management.ir_cron_kam_stakeholder_contact_due",
}

# Builds the data of the test in SQL (run by an odoo-bin shell: ``env`` is given).
SETUP = r"""
import sys
sys.path.insert(0, {bench_dir!r})
import health_cron
from odoo.tools import SQL

cr = env.cr
ids = health_cron.build_accounts(env, {accounts})
kam = env.ref("kam_management.group_kam_user").users.filtered(
    lambda u: u.active and not u.share and u.id > 2)[:1] or env.ref("base.user_admin")
cr.execute(SQL("UPDATE res_partner SET kam_user_id = %s WHERE id = ANY(%s)", kam.id, ids))
# few red accounts: the escalations opened cost most of the run's time
cr.execute(SQL("UPDATE res_company SET kam_health_red_below = 6"))
# two full batches of plans and of stakeholders and a third (their batches are of
# 200): a kill lands while a whole batch runs, not in a short last one
part = ids[:420]
# an active plan due for review on a third of the accounts
cr.execute(SQL('''
    INSERT INTO kam_account_plan (partner_id, company_id, name, state, review_cadence,
           date_start, date_end, next_review_date, user_id,
           create_uid, write_uid, create_date, write_date)
    SELECT a.id, %(company)s, 'Plan ' || a.id, 'active', 'quarterly',
           current_date - 60, current_date + 300, current_date + 2, %(user)s,
           1, 1, now(), now()
      FROM unnest(%(ids)s::int[]) AS a(id)''', company=env.company.id, user=kam.id, ids=part))
# a stakeholder (the first contact) on the same accounts, contacted every 30 days
cr.execute(SQL('''
    INSERT INTO kam_stakeholder (partner_id, contact_id, role, attitude, influence,
           interest, relationship_strength, contact_frequency_days, owner_id,
           company_id, active, departed, create_uid, write_uid, create_date, write_date)
    SELECT a.id, (SELECT min(c.id) FROM res_partner c WHERE c.parent_id = a.id),
           'decision_maker', 'neutral', 3, 3, 3, 30, %(user)s, %(company)s, TRUE, FALSE,
           1, 1, now(), now()
      FROM unnest(%(ids)s::int[]) AS a(id)''', company=env.company.id, user=kam.id, ids=part))
# an overdue escalation on every 50th account, to be raised once
cr.execute(SQL('''
    INSERT INTO kam_escalation (name, partner_id, company_id, user_id, reason, severity,
           state, source, deadline, raise_count, create_uid, write_uid, create_date,
           write_date)
    SELECT 'ESC-TEST-' || a.id, a.id, %(company)s, %(user)s, 'critical_issue', 'low',
           'new', 'manual', now() at time zone 'UTC' - interval '1 day', 0, 1, 1,
           now(), now()
      FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS a(id, n)
     WHERE mod(a.n, 50) = 0''', company=env.company.id, user=kam.id, ids=ids))
cr.execute(SQL("ANALYZE"))
cr.commit()
print("KAM_SETUP", len(ids))
"""

# Runs scheduled actions as ir.cron's worker does (its user, a progress record, the
# server action), without its row lock; waits at a barrier before each with
# ``workers`` processes; prints the seconds of each.
WORKER = r"""
import json, os, time
from pathlib import Path

barrier = Path({barrier!r})
for xmlid in {crons!r}:
    name = xmlid.split(".")[1]
    (barrier / f"{{name}}.{{os.getpid()}}").touch()
    while len(list(barrier.glob(f"{{name}}.*"))) < {workers}:
        time.sleep(0.005)
    cron = env.ref(xmlid)
    cron, progress = cron.with_user(cron.user_id)._add_progress()
    env.cr.commit()
    print("KAM_STARTED", json.dumps([xmlid, progress.id]), flush=True)
    start = time.perf_counter()
    cron.ir_actions_server_id.run()
    env.cr.commit()
    print("KAM_DONE", json.dumps([xmlid, time.perf_counter() - start]), flush=True)
"""

# What must be the same after any run of the scheduled actions (nothing lost).
FIGURES = {
    "snapshots today": "SELECT count(*) FROM kam_health_snapshot WHERE date = {today}",
    "snapshot lines today": """
        SELECT count(*) FROM kam_health_snapshot_line l
          JOIN kam_health_snapshot s ON s.id = l.snapshot_id WHERE s.date = {today}""",
    "accounts scored today": """
        SELECT count(*) FROM res_partner WHERE is_key_account
           AND kam_health_date = {today}""",
    "escalations by reason, state and severity": """
        SELECT string_agg(format('%s/%s/%s=%s', reason, state, severity, n), ' '
                          ORDER BY reason, state, severity)
          FROM (SELECT reason, state, severity, count(*) n FROM kam_escalation
              GROUP BY 1, 2, 3) t""",
    "escalation raises": "SELECT coalesce(sum(raise_count), 0) FROM kam_escalation",
    "open activities by model": """
        SELECT string_agg(format('%s=%s', res_model, n), ' ' ORDER BY res_model)
          FROM (SELECT res_model, count(*) n FROM mail_activity
                 WHERE res_model LIKE 'kam.%%' GROUP BY 1) t""",
    "stakeholders with a last interaction": """
        SELECT count(*) FROM kam_stakeholder WHERE last_interaction_date IS NOT NULL""",
    "suggested scores": "SELECT count(*) FROM kam_selection_score",
    "buying model fits today": """
        SELECT count(*) FROM kam_buying_model WHERE date = {today}""",
}
# Rows that must not exist (duplicates), each query returning them.
DUPLICATES = {
    "two snapshots of an account on a day": """
        SELECT partner_id, date FROM kam_health_snapshot
      GROUP BY 1, 2 HAVING count(*) > 1""",
    "a factor twice in a snapshot": """
        SELECT snapshot_id, factor_id FROM kam_health_snapshot_line
      GROUP BY 1, 2 HAVING count(*) > 1""",
    "two open escalations of an account for a reason": """
        SELECT partner_id, reason FROM kam_escalation
         WHERE state IN ('new', 'in_progress') GROUP BY 1, 2 HAVING count(*) > 1""",
    # the same step twice (a playbook gives one user several steps of a type on
    # a record: their summaries differ)
    "the same open activity twice on a record for a user": """
        SELECT res_model, res_id, activity_type_id, user_id, summary
          FROM mail_activity
         WHERE res_model LIKE 'kam.%%' GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1""",
    "an escalation raised twice": """
        SELECT id FROM kam_escalation WHERE raise_count > 1""",
    "two buying model fits of a company on a day": """
        SELECT company_id, date FROM kam_buying_model GROUP BY 1, 2
        HAVING count(*) > 1""",
}


class Check:
    """The databases, processes and findings of one run of this script."""

    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="kam_crons_"))
        self.failures = []
        self.durations = {}

    # ------------------------------------------------------------------
    # Databases
    # ------------------------------------------------------------------
    def connect(self, db):
        return psycopg2.connect(
            dbname=db,
            port=self.args.db_port,
            **({"host": self.args.db_host} if self.args.db_host else {}),
        )

    def query(self, db, sql):
        with self.connect(db) as cnx, cnx.cursor() as cr:
            cr.execute(sql.format(today="current_date"))
            return cr.fetchall()

    def pg(self, *command):
        options = ["-p", str(self.args.db_port)]
        if self.args.db_host:
            options += ["-h", self.args.db_host]
        subprocess.run([command[0], *options, *command[1:]], check=True)

    def copy(self, template, db):
        self.pg("dropdb", "--if-exists", db)
        self.pg("createdb", "-T", template, db)

    def installed(self, db):
        return {
            name
            for (name,) in self.query(
                db, "SELECT name FROM ir_module_module WHERE state = 'installed'"
            )
        }

    # ------------------------------------------------------------------
    # Odoo processes
    # ------------------------------------------------------------------
    def shell(self, db, code, name):
        """Start ``odoo-bin shell`` on ``db`` running ``code``, its own process
        group (to be killed alone), its log in the temporary folder."""
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                str(ODOO_SRC / "odoo-bin"),
                "shell",
                "-c",
                self.args.config,
                "-d",
                db,
                "--no-http",
                "--log-level=warn",
                f"--logfile={log}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        process.stdin.write(code)
        process.stdin.close()
        process.log = log
        process.name = name
        return process

    def finish(self, process, timeout=300):
        """Wait for ``process``; its printed results; a failure when it failed or
        logged an error."""
        output = process.stdout.read()
        process.wait(timeout=timeout)
        errors = [
            line
            for line in process.log.read_text(errors="replace").splitlines()
            if " ERROR " in line or " CRITICAL " in line or "Traceback" in line
        ]
        if process.returncode or errors:
            self.failures.append(
                f"{process.name}: exit code {process.returncode}, "
                f"{len(errors)} error lines (log {process.log}): "
                + " | ".join(errors[:3])[:600]
            )
        return [
            (word, json.loads(rest))
            for word, _, rest in (line.partition(" ") for line in output.splitlines())
            if word in ("KAM_STARTED", "KAM_DONE")
        ]

    def run_crons(self, db, crons, workers, name):
        barrier = self.tmp / f"barrier_{name}"
        barrier.mkdir()
        code = WORKER.format(barrier=str(barrier), crons=crons, workers=workers)
        processes = [self.shell(db, code, f"{name}_{n}") for n in range(workers)]
        return [self.finish(process) for process in processes]

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def can_run(self):
        """Why two more Odoo processes cannot run here, or None."""
        available = None
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) // 1024
        if available is not None and available < 2 * PROCESS_MB:
            return f"{available} MB of memory available, two Odoo processes need {2 * PROCESS_MB} MB"
        (free,) = self.query(
            "postgres",
            """SELECT current_setting('max_connections')::int
                      - (SELECT count(*) FROM pg_stat_activity)""",
        )[0]
        if free < 8:
            return f"PostgreSQL accepts {free} more connections, the test needs 8"
        return None

    def setup(self):
        data = f"{self.args.database}_crons"
        self.copy(self.args.database, data)
        code = SETUP.format(
            bench_dir=str(PROJECT_DIR / "benchmarks"), accounts=self.args.accounts
        )
        start = time.perf_counter()
        self.finish(self.shell(data, code, "setup"))
        print(
            f"    data: {self.args.accounts} key accounts in {time.perf_counter() - start:.0f} s"
        )
        return data

    def reference(self, data, crons):
        db = f"{data}_reference"
        self.copy(data, db)
        start = time.perf_counter()
        (results,) = self.run_crons(db, crons, 1, "reference")
        for word, (xmlid, value) in results:
            if word == "KAM_DONE":
                self.durations[xmlid] = value
        print(f"    one run: {time.perf_counter() - start:.0f} s")
        return db

    def twice(self, data, crons):
        db = f"{data}_twice"
        self.copy(data, db)
        results = self.run_crons(db, crons, 2, "twice")
        for n, result in enumerate(results):
            done = {xmlid for word, (xmlid, _v) in result if word == "KAM_DONE"}
            if done != set(crons):
                self.failures.append(f"twice: process {n} ran {sorted(done)} only")
        return db

    def killed(self, data, crons):
        """One process after another runs the scheduled actions in turn, each
        killed in the middle of the next one to kill: the following process
        runs again the action it was killed in (and the rest), the last one
        runs them to their end."""
        db = f"{data}_killed"
        self.copy(data, db)
        remaining = list(crons)
        for xmlid in [xmlid for xmlid in crons if xmlid in KILLED_CRONS]:
            self.kill_mid_run(db, remaining, xmlid)
            remaining = remaining[remaining.index(xmlid) :]
        self.run_crons(db, remaining, 1, "killed_last")
        return db

    def kill_mid_run(self, db, crons, target):
        """Run ``crons`` and kill -9 the process once ``target``'s progress shows
        a batch committed and work remaining."""
        name = target.split(".")[1]
        barrier = self.tmp / f"barrier_kill_{name}"
        barrier.mkdir()
        code = WORKER.format(barrier=str(barrier), crons=crons, workers=1)
        process = self.shell(db, code, f"killed_in_{name}")
        progress_id = None
        for line in process.stdout:
            word, _, rest = line.partition(" ")
            if word == "KAM_STARTED" and json.loads(rest)[0] == target:
                progress_id = json.loads(rest)[1]
                break
        progress = None
        while progress_id and process.poll() is None:
            progress = self.query(
                db,
                "SELECT done, remaining FROM ir_cron_progress "
                f"WHERE id = {int(progress_id)}",
            )[0]
            if progress[0] > 0 and progress[1] > 0:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                print(f"    {name}: killed at {progress[0]} done, {progress[1]} to do")
                return
            time.sleep(0.02)
        self.finish(process)
        self.failures.append(
            f"killed in {name}: the run ended before a batch was committed with work "
            f"remaining (progress {progress}): more --accounts are needed"
        )

    def compare(self, reference, others):
        expected = self.figures(reference)
        for db in [reference, *others]:
            for label, sql in DUPLICATES.items():
                rows = self.query(db, sql)
                if rows:
                    self.failures.append(
                        f"{db}: {label}: {len(rows)} times, e.g. {rows[:3]}"
                    )
        for db in others:
            found = self.figures(db)
            for label, value in expected.items():
                if found[label] != value:
                    self.failures.append(
                        f"{db}: {label}: {found[label]}, one run gives {value}"
                    )
        return expected

    def figures(self, db):
        return {label: self.query(db, sql)[0][0] for label, sql in FIGURES.items()}

    def drop(self, *dbs):
        for db in dbs:
            self.pg("dropdb", "--if-exists", db)
        if not self.failures:
            shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="installed test database")
    parser.add_argument("--config", required=True, help="odoo configuration file")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--db_port", default=os.environ.get("DB_PORT", "5432"))
    parser.add_argument("--db_host", default=os.environ.get("DB_HOST") or None)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    check = Check(args)
    reason = check.can_run()
    if reason:
        print(f"SKIPPED: cannot start a second Odoo process here: {reason}")
        return SKIPPED
    start = time.perf_counter()
    installed = check.installed(args.database)
    crons = [xmlid for xmlid, module in CRONS if module in installed]
    data = check.setup()
    reference = check.reference(data, crons)
    lap = time.perf_counter()
    others = [check.twice(data, crons)]
    print(f"    twice at once: {time.perf_counter() - lap:.0f} s")
    lap = time.perf_counter()
    others.append(check.killed(data, crons))
    print(f"    killed and run again: {time.perf_counter() - lap:.0f} s")
    figures = check.compare(reference, others)
    for xmlid, seconds in check.durations.items():
        print(f"    {xmlid.split('.')[1]}: {seconds:.1f} s")
    print("    " + json.dumps(figures, default=str))
    if not args.keep:
        check.drop(data, reference, *others)
    for failure in check.failures:
        print(f"FAILED: {failure}")
    elapsed = time.perf_counter() - start
    if check.failures:
        return 1
    print(
        f"PASSED: {len(crons)} scheduled actions run twice at once and killed "
        f"mid-way, nothing duplicated or lost ({elapsed:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
