import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type PrincipalKind } from './actor';
import { type RoleBinding } from './roles';

export interface StoredApiKey {
  principalId: string;
  environment: string;
  secretSha256: Buffer;
  expired: boolean;
  /** Expiry in epoch milliseconds, for re-checking a cached key; null when it never expires. */
  expiresAtMs: number | null;
  revoked: boolean;
}

export interface PrincipalWithBindings {
  id: string;
  name: string;
  kind: PrincipalKind;
  bindings: RoleBinding[];
}

/** What authentication reads: keys by id, principals by JWT subject, and role bindings. */
@Injectable()
export class CredentialsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findApiKey(keyId: string): Promise<StoredApiKey | null> {
    // Expiry is judged by the database clock, the same one that stamped the key.
    const rows: StoredApiKey[] = await this.dataSource.query(
      `SELECT principal_id AS "principalId", environment, secret_sha256 AS "secretSha256",
        (expires_at IS NOT NULL AND expires_at <= now()) AS expired, (revoked_at IS NOT NULL) AS revoked,
        (extract(epoch FROM expires_at) * 1000)::float8 AS "expiresAtMs"
       FROM api_keys WHERE key_id = $1`,
      [keyId],
    );
    return rows[0] ?? null;
  }

  /** At most one write a minute per key: last-used is for humans, not an access log. */
  async touchApiKey(keyId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
       WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [keyId],
    );
  }

  async findPrincipalIdBySubject(subject: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM principals WHERE jwt_subject = $1',
      [subject],
    );
    return rows[0]?.id ?? null;
  }

  async findPrincipalIdByName(name: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM principals WHERE name = $1', [
      name,
    ]);
    return rows[0]?.id ?? null;
  }

  async loadPrincipal(id: string): Promise<PrincipalWithBindings | null> {
    const principals: Omit<PrincipalWithBindings, 'bindings'>[] = await this.dataSource.query(
      'SELECT id, name, kind FROM principals WHERE id = $1',
      [id],
    );
    const principal = principals[0];
    if (!principal) return null;
    const bindings: RoleBinding[] = await this.dataSource.query(
      `SELECT g.role, COALESCE(g.domain_id, p.domain_id) AS "domainId", g.data_product_id AS "productId",
        g.clear_fields AS "clearFields"
       FROM role_grants g LEFT JOIN data_products p ON p.id = g.data_product_id
       WHERE g.principal_id = $1 ORDER BY g.created_at, g.id`,
      [id],
    );
    return { ...principal, bindings };
  }
}
