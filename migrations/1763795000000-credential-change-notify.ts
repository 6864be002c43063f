import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every change to who may authenticate as what (principals, keys, grants) notifies all instances,
 * so the authentication cache of each one drops what it knew. Statement-level: one notification
 * per statement, delivered at commit. A key's last-used stamp is not such a change.
 */
export class CredentialChangeNotify1763795000000 implements MigrationInterface {
  name = 'CredentialChangeNotify1763795000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION charter_notify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('charter_credentials', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER principals_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON principals
      FOR EACH STATEMENT EXECUTE FUNCTION charter_notify_credentials_changed()`);
    await queryRunner.query(`CREATE TRIGGER role_grants_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_grants
      FOR EACH STATEMENT EXECUTE FUNCTION charter_notify_credentials_changed()`);
    await queryRunner.query(`CREATE TRIGGER api_keys_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF principal_id, secret_sha256, expires_at, revoked_at ON api_keys
      FOR EACH STATEMENT EXECUTE FUNCTION charter_notify_credentials_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER api_keys_changed ON api_keys`);
    await queryRunner.query(`DROP TRIGGER role_grants_changed ON role_grants`);
    await queryRunner.query(`DROP TRIGGER principals_changed ON principals`);
    await queryRunner.query(`DROP FUNCTION charter_notify_credentials_changed()`);
  }
}
