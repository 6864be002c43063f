import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The role the service may connect as (CHARTER_DB_APP_ROLE); cluster-wide, so created only if missing. */
export const AUDIT_APP_ROLE = 'charter_app';

const CREATE_ROLE = `
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_APP_ROLE}') THEN
      CREATE ROLE ${AUDIT_APP_ROLE} NOLOGIN;
    END IF;
  EXCEPTION
    -- another database of the same cluster created it at the same moment
    WHEN duplicate_object OR unique_violation THEN NULL;
    -- a migrator without CREATEROLE: the DBA creates the role; grants below then need it
    WHEN insufficient_privilege THEN RAISE NOTICE 'role ${AUDIT_APP_ROLE} not created: no CREATEROLE';
  END $$`;

const TABLES = 'audit_events, audit_checkpoints';

/**
 * Append-only audit log (RELIABILITY §4.3). Events hold metadata only; generated columns expose the
 * filterable parts of the hashed JSON so filters can never disagree with what was hashed.
 */
export class AuditLog1763800000000 implements MigrationInterface {
  name = 'AuditLog1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_events (
        seq bigint PRIMARY KEY CONSTRAINT audit_events_seq_positive CHECK (seq > 0),
        event_id uuid NOT NULL CONSTRAINT audit_events_event_id_key UNIQUE,
        occurred_at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        action text NOT NULL,
        resource jsonb NOT NULL,
        outcome text NOT NULL
          CONSTRAINT audit_events_outcome_check CHECK (outcome IN ('success', 'denied', 'invalid', 'error')),
        reason text,
        decision jsonb,
        request jsonb NOT NULL,
        change jsonb,
        prev_hash text NOT NULL CONSTRAINT audit_events_prev_hash_format CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CONSTRAINT audit_events_hash_format CHECK (hash ~ '^[0-9a-f]{64}$'),
        principal_id text GENERATED ALWAYS AS (actor ->> 'principalId') STORED,
        product text GENERATED ALWAYS AS (resource ->> 'product') STORED,
        product_id text GENERATED ALWAYS AS (resource ->> 'productId') STORED,
        domain_id text GENERATED ALWAYS AS (resource ->> 'domainId') STORED,
        -- one successor per event: a fork cannot be stored even if the chain lock were bypassed
        CONSTRAINT audit_events_prev_hash_key UNIQUE (prev_hash)
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_principal_idx ON audit_events (principal_id, seq)`);
    await queryRunner.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, seq)`);
    await queryRunner.query(`CREATE INDEX audit_events_product_idx ON audit_events (product, seq)`);
    await queryRunner.query(`CREATE INDEX audit_events_time_idx ON audit_events (occurred_at)`);
    await queryRunner.query(`CREATE INDEX audit_events_resource_idx ON audit_events USING gin (resource)`);
    await queryRunner.query(`
      CREATE TABLE audit_checkpoints (
        seq bigint PRIMARY KEY CONSTRAINT audit_checkpoints_seq_check CHECK (seq >= 0),
        signed jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit records are append-only (% refused on %)', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
      // ALWAYS: still fires under session_replication_role = replica
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_change`);
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate`);
    }
    await this.grantAppRole(queryRunner);
  }

  /** The app role writes business tables freely but may only INSERT and SELECT audit records. */
  private async grantAppRole(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CREATE_ROLE);
    const role = AUDIT_APP_ROLE;
    const exists = (await queryRunner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [
      role,
    ])) as unknown[];
    if (exists.length === 0) return;
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await queryRunner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
    );
    await queryRunner.query(`REVOKE ALL ON ${TABLES} FROM PUBLIC`);
    await queryRunner.query(`REVOKE ALL ON ${TABLES} FROM ${role}`);
    await queryRunner.query(`GRANT SELECT, INSERT ON ${TABLES} TO ${role}`);
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${role}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const role = AUDIT_APP_ROLE;
    const exists = (await queryRunner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [
      role,
    ])) as unknown[];
    if (exists.length > 0) {
      await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${role}`);
      await queryRunner.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${role}`,
      );
      await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
      await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`);
      await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${role}`);
    }
    // The role itself stays: other databases of the cluster may use it.
    await queryRunner.query(`DROP TABLE audit_checkpoints`);
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_refuse_change()`);
  }
}
