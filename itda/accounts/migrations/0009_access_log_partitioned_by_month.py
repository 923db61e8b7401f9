"""The 접속기록 table becomes a table partitioned by month (itda.accounts.partitions).

Django's model is unchanged: same columns, indexes, constraints and append-only trigger, under
the same names. PostgreSQL asks that the primary key hold the partition key, so it is (id, at);
ids still come from one sequence, so id alone stays unique. Identity columns on partitioned
tables need PostgreSQL 17, so the id takes its default from an owned sequence instead.
"""

import datetime

from django.db import migrations

TABLE = "accounts_personaldataaccess"
OLD = f"{TABLE}_unpartitioned"
COLUMNS = (
    "id, actor_username, at, ip_address, action, subject_type, subject_ids, path, reason, actor_id"
)

FORWARD = f"""
ALTER TABLE {TABLE} RENAME TO {OLD};
DROP TRIGGER pgtrigger_access_log_append_only_a3c4d ON {OLD};
ALTER TABLE {OLD} DROP CONSTRAINT {TABLE}_pkey;
ALTER TABLE {OLD} DROP CONSTRAINT accounts_personaldat_actor_id_e2b7b590_fk_accounts_;
DROP INDEX accounts_pe_actor_u_1da751_idx, {TABLE}_actor_id_e2b7b590, {TABLE}_at_43f3837b;
ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY;

CREATE TABLE {TABLE} (
    id bigint NOT NULL,
    actor_username varchar(150) NOT NULL,
    at timestamp with time zone NOT NULL,
    ip_address inet NOT NULL,
    action varchar(10) NOT NULL,
    subject_type varchar(50) NOT NULL,
    subject_ids bigint[] NOT NULL,
    path varchar(300) NOT NULL,
    reason varchar(300) NOT NULL,
    actor_id bigint,
    CONSTRAINT access_export_needs_reason
        CHECK ((NOT (action = 'export')) OR (NOT (reason = ''))),
    CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id;
ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq');
ALTER TABLE {TABLE} ADD CONSTRAINT accounts_personaldat_actor_id_e2b7b590_fk_accounts_
    FOREIGN KEY (actor_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX accounts_pe_actor_u_1da751_idx ON {TABLE} (actor_username, at);
CREATE INDEX {TABLE}_actor_id_e2b7b590 ON {TABLE} (actor_id);
CREATE INDEX {TABLE}_at_43f3837b ON {TABLE} (at);
CREATE TRIGGER pgtrigger_access_log_append_only_a3c4d BEFORE DELETE OR UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION pgtrigger_access_log_append_only_a3c4d();
COMMENT ON TRIGGER pgtrigger_access_log_append_only_a3c4d ON {TABLE}
    IS '38be8364e0a8686eccdb0d4a910ce04bbab3d4eb';
CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT;

INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {OLD};
SELECT setval('{TABLE}_id_seq', COALESCE((SELECT max(id) FROM {OLD}), 0) + 1, false);
DROP TABLE {OLD};
"""  # noqa: S608 - constant names


def make_months(apps, schema_editor):
    # The months the copied rows fall in (they wait in the default partition) through three
    # months ahead; the nightly task keeps three months ahead from then on.
    from itda.accounts.partitions import ensure_monthly_partitions

    today = datetime.date.today()
    ensure_monthly_partitions(through=today + datetime.timedelta(days=92))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_access_action_change")]

    operations = [
        migrations.RunSQL(FORWARD, reverse_sql=migrations.RunSQL.noop),
        migrations.RunPython(make_months, migrations.RunPython.noop),
    ]
