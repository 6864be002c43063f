import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * audit_events.body: the hashed text parsed once, as one GENERATED jsonb column, replacing the
 * thirteen columns generated from `canonical` (each parsed the whole text again: about half the
 * insert's cost). Filters and their indexes read expressions on `body`, an older row's stored_*
 * column where it has no text; the expressions are AUDIT_FILTER_SQL in the repository.
 */
export class AuditBody1763840000000 implements MigrationInterface {
  name = 'AuditBody1763840000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    // their indexes and the event_present check go with them
    await q(
      `ALTER TABLE audit_events ${GENERATED_BEFORE.map(([column]) => `DROP COLUMN ${column}`).join(', ')}`,
    );
    await q(`ALTER TABLE audit_events ADD COLUMN body jsonb GENERATED ALWAYS AS (canonical::jsonb) STORED`);
    await q(
      `ALTER TABLE audit_events ADD CONSTRAINT audit_events_event_present CHECK (${EVENT_ID} IS NOT NULL)`,
    );
    await q(`CREATE UNIQUE INDEX audit_events_event_id_idx ON audit_events ((${EVENT_ID}))`);
    await q(`CREATE INDEX audit_events_principal_idx ON audit_events ((${PRINCIPAL_ID}), seq)`);
    await q(`CREATE INDEX audit_events_action_idx ON audit_events ((${ACTION}), seq)`);
    await q(`CREATE INDEX audit_events_product_idx ON audit_events ((${PRODUCT}), seq)`);
    await q(`CREATE INDEX audit_events_resource_idx ON audit_events USING gin ((${RESOURCE}))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE audit_events DROP COLUMN body`); // its indexes and the check go with it
    const columns = GENERATED_BEFORE.map(
      ([column, type, expression]) =>
        `ADD COLUMN ${column} ${type} GENERATED ALWAYS AS (${expression}) STORED`,
    );
    await q(`ALTER TABLE audit_events ${columns.join(', ')}`);
    await q(
      `ALTER TABLE audit_events ADD CONSTRAINT audit_events_event_present CHECK (event_id IS NOT NULL)`,
    );
    await q(`CREATE UNIQUE INDEX audit_events_event_id_idx ON audit_events (event_id)`);
    await q(`CREATE INDEX audit_events_principal_idx ON audit_events (principal_id, seq)`);
    await q(`CREATE INDEX audit_events_action_idx ON audit_events (action, seq)`);
    await q(`CREATE INDEX audit_events_product_idx ON audit_events (product, seq)`);
    await q(`CREATE INDEX audit_events_resource_idx ON audit_events USING gin (resource)`);
  }
}

const EVENT_ID = `COALESCE((body ->> 'eventId')::uuid, stored_event_id)`;
const ACTION = `COALESCE(body ->> 'action', stored_action)`;
const RESOURCE = `COALESCE(body -> 'resource', stored_resource)`;
const PRINCIPAL_ID = `COALESCE(body -> 'actor', stored_actor) ->> 'principalId'`;
const PRODUCT = `${RESOURCE} ->> 'product'`;

/** The columns migration 1763820000000 generated from the text, as it defined them. */
const GENERATED_BEFORE: readonly (readonly [column: string, type: string, expression: string])[] = [
  ['event_id', 'uuid', `COALESCE((canonical::jsonb ->> 'eventId')::uuid, stored_event_id)`],
  ['actor', 'jsonb', `COALESCE(canonical::jsonb -> 'actor', stored_actor)`],
  ['action', 'text', `COALESCE(canonical::jsonb ->> 'action', stored_action)`],
  ['resource', 'jsonb', `COALESCE(canonical::jsonb -> 'resource', stored_resource)`],
  ['outcome', 'text', `COALESCE(canonical::jsonb ->> 'outcome', stored_outcome)`],
  ['reason', 'text', `COALESCE(canonical::jsonb ->> 'reason', stored_reason)`],
  ['decision', 'jsonb', `COALESCE(canonical::jsonb -> 'decision', stored_decision)`],
  ['request', 'jsonb', `COALESCE(canonical::jsonb -> 'request', stored_request)`],
  ['change', 'jsonb', `COALESCE(canonical::jsonb -> 'change', stored_change)`],
  ['principal_id', 'text', `COALESCE(canonical::jsonb -> 'actor', stored_actor) ->> 'principalId'`],
  ['product', 'text', `COALESCE(canonical::jsonb -> 'resource', stored_resource) ->> 'product'`],
  ['product_id', 'text', `COALESCE(canonical::jsonb -> 'resource', stored_resource) ->> 'productId'`],
  ['domain_id', 'text', `COALESCE(canonical::jsonb -> 'resource', stored_resource) ->> 'domainId'`],
];
