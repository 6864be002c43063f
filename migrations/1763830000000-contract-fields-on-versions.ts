import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The field index moves from one contract_fields row per field (a heap row, three index entries and
 * a foreign-key check each: 24 of them for a 24-field contract) into the version row itself, as a
 * JSONB array of {path, name, classification, tags} under one GIN index. Containment (`@>`) on that
 * array matches name and tag on the same field, as the join on one contract_fields row did.
 */
export class ContractFieldsOnVersions1763830000000 implements MigrationInterface {
  name = 'ContractFieldsOnVersions1763830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE contract_versions ADD COLUMN fields jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`
      UPDATE contract_versions v SET fields = f.fields
      FROM (
        SELECT product_id, version, jsonb_agg(
          jsonb_strip_nulls(jsonb_build_object('path', path, 'name', name, 'classification', classification))
            || jsonb_build_object('tags', to_jsonb(tags))
          ORDER BY path) AS fields
        FROM contract_fields GROUP BY product_id, version
      ) f
      WHERE v.product_id = f.product_id AND v.version = f.version`);
    // Every insert states its fields; the default only filled the rows that were there.
    await queryRunner.query(`ALTER TABLE contract_versions ALTER COLUMN fields DROP DEFAULT`);
    await queryRunner.query(
      `CREATE INDEX contract_versions_fields_idx ON contract_versions USING gin (fields jsonb_path_ops)`,
    );
    await queryRunner.query(`DROP TABLE contract_fields`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
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
      INSERT INTO contract_fields (product_id, version, path, name, classification, tags)
      SELECT v.product_id, v.version, f.path, f.name, f.classification,
        ARRAY(SELECT jsonb_array_elements_text(coalesce(f.tags, '[]')))
      FROM contract_versions v,
        jsonb_to_recordset(v.fields) AS f(path text, name text, classification text, tags jsonb)`);
    await queryRunner.query(`DROP INDEX contract_versions_fields_idx`);
    await queryRunner.query(`ALTER TABLE contract_versions DROP COLUMN fields`);
  }
}
