import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class InitialDomainsAndProducts1763780000000 implements MigrationInterface {
  name = 'InitialDomainsAndProducts1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE domains (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CONSTRAINT domains_name_key UNIQUE
          CONSTRAINT domains_name_format CHECK (name ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(name) BETWEEN 2 AND 63),
        description text NOT NULL DEFAULT '',
        owning_team text NOT NULL,
        contacts jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE data_products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE RESTRICT,
        name text NOT NULL
          CONSTRAINT data_products_name_format CHECK (name ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(name) BETWEEN 2 AND 63),
        description text NOT NULL DEFAULT '',
        owning_team text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'draft'
          CONSTRAINT data_products_status_check CHECK (status IN ('draft', 'active', 'deprecated', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT data_products_domain_name_key UNIQUE (domain_id, name)
      )`);
    await queryRunner.query(`CREATE INDEX data_products_tags_idx ON data_products USING gin (tags)`);
    await queryRunner.query(`CREATE INDEX data_products_status_idx ON data_products (status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE data_products`);
    await queryRunner.query(`DROP TABLE domains`);
  }
}
