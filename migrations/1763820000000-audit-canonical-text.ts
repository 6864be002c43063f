import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The event members the table used to store as columns; kept as stored_* for rows written before. */
const MEMBERS: readonly (readonly [column: string, member: string, type: string, required: boolean])[] = [
  ['event_id', 'eventId', 'uuid', true],
  ['actor', 'actor', 'jsonb', true],
  ['action', 'action', 'text', true],
  ['resource', 'resource', 'jsonb', true],
  ['outcome', 'outcome', 'text', true],
  ['reason', 'reason', 'text', false],
  ['decision', 'decision', 'jsonb', false],
  ['request', 'request', 'jsonb', true],
  ['change', 'change', 'jsonb', false],
];

/** A member of the hashed text, else the stored column of an older row. */
function fromText(column: string, member: string, type: string): string {
  if (type === 'jsonb') return `COALESCE(canonical::jsonb -> '${member}', stored_${column})`;
  if (type === 'uuid') return `COALESCE((canonical::jsonb ->> '${member}')::uuid, stored_${column})`;
  return `COALESCE(canonical::jsonb ->> '${member}', stored_${column})`;
}

const FILTERS: readonly (readonly [column: string, source: string, member: string])[] = [
  ['principal_id', 'actor', 'principalId'],
  ['product', 'resource', 'product'],
  ['product_id', 'resource', 'productId'],
  ['domain_id', 'resource', 'domainId'],
];

/**
 * audit_events.canonical: the exact RFC 8785 text each event's hash covers. Verification hashes
 * those stored bytes instead of re-serialising every event, and every column readers and filters
 * see is GENERATED from that text, so no column can disagree with what was hashed (the verifier
 * checks that the columns are still generated, and compares them row by row if they are not).
 * Rows written before keep canonical NULL; their columns move to stored_* and are verified as before.
 */
export class AuditCanonicalText1763820000000 implements MigrationInterface {
  name = 'AuditCanonicalText1763820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE audit_events ADD COLUMN canonical text`);
    await q(`DROP INDEX audit_events_action_idx, audit_events_resource_idx`);
    for (const [column] of FILTERS) await q(`ALTER TABLE audit_events DROP COLUMN ${column}`);
    for (const [column, , , required] of MEMBERS) {
      await q(`ALTER TABLE audit_events RENAME COLUMN ${column} TO stored_${column}`);
      if (required) await q(`ALTER TABLE audit_events ALTER COLUMN stored_${column} DROP NOT NULL`);
    }
    const generated = [
      ...MEMBERS.map(
        ([column, member, type]) =>
          `ADD COLUMN ${column} ${type} GENERATED ALWAYS AS (${fromText(column, member, type)}) STORED`,
      ),
      ...FILTERS.map(
        ([column, source, member]) =>
          `ADD COLUMN ${column} text GENERATED ALWAYS AS (${fromText(source, source, 'jsonb')} ->> '${member}') STORED`,
      ),
    ];
    await q(`ALTER TABLE audit_events ${generated.join(', ')}`);
    await q(
      `ALTER TABLE audit_events ADD CONSTRAINT audit_events_event_present CHECK (event_id IS NOT NULL)`,
    );
    await q(`CREATE UNIQUE INDEX audit_events_event_id_idx ON audit_events (event_id)`);
    await this.filterIndexes(queryRunner);
  }

  private async filterIndexes(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX audit_events_principal_idx ON audit_events (principal_id, seq)`);
    await queryRunner.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, seq)`);
    await queryRunner.query(`CREATE INDEX audit_events_product_idx ON audit_events (product, seq)`);
    await queryRunner.query(`CREATE INDEX audit_events_resource_idx ON audit_events USING gin (resource)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    // Events written since live only in their text: copy them into the stored columns first (as the
    // owner, with the append-only trigger off for this one statement), then restore the old layout.
    await q(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`);
    await q(
      `UPDATE audit_events SET ${MEMBERS.map(([column]) => `stored_${column} = ${column}`).join(', ')} WHERE canonical IS NOT NULL`,
    );
    await q(`ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_change`);
    const drops = [...MEMBERS, ...FILTERS].map(([column]) => `DROP COLUMN ${column}`);
    await q(`ALTER TABLE audit_events ${drops.join(', ')}`); // their indexes and the check go with them
    for (const [column, , , required] of MEMBERS) {
      await q(`ALTER TABLE audit_events RENAME COLUMN stored_${column} TO ${column}`);
      if (required) await q(`ALTER TABLE audit_events ALTER COLUMN ${column} SET NOT NULL`);
    }
    await q(`ALTER TABLE audit_events DROP COLUMN canonical`);
    const filters = FILTERS.map(
      ([column, source, member]) =>
        `ADD COLUMN ${column} text GENERATED ALWAYS AS (${source} ->> '${member}') STORED`,
    );
    await q(`ALTER TABLE audit_events ${filters.join(', ')}`);
    await q(`DROP INDEX IF EXISTS audit_events_action_idx, audit_events_resource_idx`);
    await this.filterIndexes(queryRunner);
  }
}
