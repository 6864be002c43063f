import { type MigrationInterface, type QueryRunner } from 'typeorm';

const APP_ROLE = 'charter_app';
const TABLES = ['change_events', 'webhooks', 'webhook_deliveries'];

/**
 * Change events (issue 10): `change_events` is the transactional outbox (one CloudEvents 1.0
 * envelope per committed change), `webhooks` the endpoints registered per domain or product and
 * `webhook_deliveries` one row per event and endpoint, created in the event's own transaction and
 * claimed by the delivery workers with FOR UPDATE SKIP LOCKED.
 */
export class ChangeEventsAndWebhooks1763810000000 implements MigrationInterface {
  name = 'ChangeEventsAndWebhooks1763810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE change_events (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        type text NOT NULL,
        domain_id uuid NULL,
        product_id uuid NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX change_events_product ON change_events (product_id, seq)`);
    await queryRunner.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
        product_id uuid NULL REFERENCES data_products (id) ON DELETE CASCADE,
        url text NOT NULL CHECK (length(url) <= 2048),
        secret text NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/=]{32,}$'),
        event_types text[] NULL,
        description text NULL CHECK (length(description) <= 500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhooks_scope ON webhooks (domain_id, product_id)`);
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES change_events (id),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'retrying', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz NULL,
        last_status_code integer NULL,
        last_error_code text NULL,
        delivered_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (webhook_id, event_id)
      )`);
    // Only undelivered rows are ever scanned by the workers.
    await queryRunner.query(`
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE status IN ('pending', 'retrying')`);
    const role = (await queryRunner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [
      APP_ROLE,
    ])) as unknown[];
    if (role.length > 0) {
      // The service appends events and drives deliveries; it never rewrites an event.
      await queryRunner.query(`GRANT SELECT, INSERT ON change_events TO ${APP_ROLE}`);
      await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON change_events FROM ${APP_ROLE}`);
      await queryRunner.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks, webhook_deliveries TO ${APP_ROLE}`,
      );
      await queryRunner.query(
        `GRANT USAGE, SELECT ON SEQUENCE change_events_seq_seq, webhook_deliveries_id_seq TO ${APP_ROLE}`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
