import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class PrincipalsAndGrants1763790000000 implements MigrationInterface {
  name = 'PrincipalsAndGrants1763790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE principals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CONSTRAINT principals_name_key UNIQUE
          CONSTRAINT principals_name_format CHECK (name ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(name) BETWEEN 2 AND 63),
        kind text NOT NULL CONSTRAINT principals_kind_check CHECK (kind IN ('person', 'service')),
        display_name text NOT NULL DEFAULT '',
        jwt_subject text CONSTRAINT principals_jwt_subject_key UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Only a hash of each key is stored: the key itself is shown once and never kept.
    await queryRunner.query(`
      CREATE TABLE api_keys (
        key_id text PRIMARY KEY CONSTRAINT api_keys_key_id_format CHECK (key_id ~ '^[a-z0-9]{16}$'),
        principal_id uuid NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
        environment text NOT NULL,
        secret_sha256 bytea NOT NULL CONSTRAINT api_keys_hash_length CHECK (octet_length(secret_sha256) = 32),
        label text NOT NULL DEFAULT '',
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_principal_idx ON api_keys (principal_id)`);
    await queryRunner.query(`
      CREATE TABLE role_grants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        principal_id uuid NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
        role text NOT NULL
          CONSTRAINT role_grants_role_check CHECK (role IN ('admin', 'owner', 'producer', 'consumer', 'governance', 'ci')),
        domain_id uuid REFERENCES domains (id) ON DELETE CASCADE,
        data_product_id uuid REFERENCES data_products (id) ON DELETE CASCADE,
        clear_fields text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT role_grants_one_scope CHECK (domain_id IS NULL OR data_product_id IS NULL),
        CONSTRAINT role_grants_clear_fields_consumer CHECK (role = 'consumer' OR cardinality(clear_fields) = 0),
        CONSTRAINT role_grants_unique UNIQUE NULLS NOT DISTINCT (principal_id, role, domain_id, data_product_id)
      )`);
    await queryRunner.query(`CREATE INDEX role_grants_domain_idx ON role_grants (domain_id)`);
    await queryRunner.query(`CREATE INDEX role_grants_product_idx ON role_grants (data_product_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE role_grants`);
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE principals`);
  }
}
