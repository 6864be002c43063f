import { type MigrationInterface, type QueryRunner } from 'typeorm';

const APP_ROLE = 'charter_app';

/**
 * Wrapped data keys of the anonymization kernel (issue 8): one row per product and data-key
 * version, sealed by a master key that lives only in configuration. Rotation inserts a new
 * version and keeps the old ones, so older ciphertexts still open; rows are never changed.
 */
export class GovernanceDataKeys1763805000000 implements MigrationInterface {
  name = 'GovernanceDataKeys1763805000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance_data_keys (
        product_id uuid NOT NULL REFERENCES data_products(id),
        data_key_version integer NOT NULL CHECK (data_key_version > 0),
        master_key_version integer NOT NULL CHECK (master_key_version > 0),
        wrapped text NOT NULL CHECK (wrapped ~ '^[A-Za-z0-9_-]{80}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (product_id, data_key_version)
      )`);
    const role = (await queryRunner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [
      APP_ROLE,
    ])) as unknown[];
    // The service only adds versions; an old key rewritten or deleted would strand its ciphertexts.
    if (role.length > 0) {
      await queryRunner.query(`REVOKE ALL ON governance_data_keys FROM ${APP_ROLE}`);
      await queryRunner.query(`GRANT SELECT, INSERT ON governance_data_keys TO ${APP_ROLE}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE governance_data_keys`);
  }
}
