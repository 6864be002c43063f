import { type MigrationInterface, type QueryRunner } from 'typeorm';

const MODES = `'NONE','BACKWARD','FORWARD','FULL','BACKWARD_TRANSITIVE','FORWARD_TRANSITIVE','FULL_TRANSITIVE'`;
const POLICIES = `'STRICT','LENIENT','SEMANTIC'`;

export class ContractRegistry1763785000000 implements MigrationInterface {
  name = 'ContractRegistry1763785000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // High-water mark of version numbers: deletes never lower it, so numbers are never reused.
    await queryRunner.query(`ALTER TABLE data_products ADD COLUMN latest_version integer NOT NULL DEFAULT 0`);
    // Global ids come from a sequence: gaps are allowed, reuse never happens.
    await queryRunner.query(`CREATE SEQUENCE contract_content_id_seq AS integer`);
    await queryRunner.query(`
      CREATE TABLE contract_contents (
        id integer PRIMARY KEY DEFAULT nextval('contract_content_id_seq'),
        content_hash text NOT NULL CONSTRAINT contract_contents_hash_key UNIQUE
          CONSTRAINT contract_contents_hash_format CHECK (content_hash ~ '^[0-9a-f]{64}$'),
        canonical text NOT NULL,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`ALTER SEQUENCE contract_content_id_seq OWNED BY contract_contents.id`);
    await queryRunner.query(`
      CREATE TABLE contract_versions (
        product_id uuid NOT NULL REFERENCES data_products (id) ON DELETE RESTRICT,
        version integer NOT NULL CONSTRAINT contract_versions_version_positive CHECK (version > 0),
        content_id integer NOT NULL REFERENCES contract_contents (id) ON DELETE RESTRICT,
        source_text text NOT NULL,
        state text NOT NULL DEFAULT 'active' CONSTRAINT contract_versions_state_check CHECK (state IN ('active', 'deprecated')),
        deprecation_reason text,
        compatibility_mode text NOT NULL CHECK (compatibility_mode IN (${MODES})),
        compatibility_policy text NOT NULL CHECK (compatibility_policy IN (${POLICIES})),
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        PRIMARY KEY (product_id, version)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX contract_versions_live_content_key ON contract_versions (product_id, content_id) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX contract_versions_content_idx ON contract_versions (content_id)`);
    await queryRunner.query(`
      CREATE TABLE contract_fields (
        product_id uuid NOT NULL,
        version integer NOT NULL,
        path text NOT NULL,
        name text NOT NULL,
        classification text,
        tags text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (product_id, version, path),
        FOREIGN KEY (product_id, version) REFERENCES contract_versions (product_id, version) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX contract_fields_tags_idx ON contract_fields USING gin (tags)`);
    await queryRunner.query(`CREATE INDEX contract_fields_name_idx ON contract_fields (name)`);
    await queryRunner.query(`
      CREATE TABLE compatibility_settings (
        scope text NOT NULL CHECK (scope IN ('global', 'domain', 'product')),
        scope_id uuid,
        mode text CHECK (mode IN (${MODES})),
        policy text CHECK (policy IN (${POLICIES})),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT compatibility_settings_scope_id CHECK ((scope = 'global') = (scope_id IS NULL))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX compatibility_settings_scope_key ON compatibility_settings (scope, (coalesce(scope_id, '00000000-0000-0000-0000-000000000000'::uuid)))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE compatibility_settings`);
    await queryRunner.query(`DROP TABLE contract_fields`);
    await queryRunner.query(`DROP TABLE contract_versions`);
    await queryRunner.query(`DROP TABLE contract_contents`);
    await queryRunner.query(`ALTER TABLE data_products DROP COLUMN latest_version`);
  }
}
