import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';

/** A key as anyone may see it: never the secret, never the hash. */
export interface ApiKeyRecord {
  keyId: string;
  principalId: string;
  principal: string;
  environment: string;
  label: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface NewApiKeyRow {
  keyId: string;
  principalId: string;
  environment: string;
  hash: Buffer;
  label: string;
  expiresAt: Date | null;
}

const SELECT = `SELECT k.key_id AS "keyId", k.principal_id AS "principalId", p.name AS principal, k.environment,
  k.label, k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt", k.last_used_at AS "lastUsedAt",
  k.created_at AS "createdAt" FROM api_keys k JOIN principals p ON p.id = k.principal_id`;

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(key: NewApiKeyRow, manager: EntityManager): Promise<ApiKeyRecord> {
    await manager.query(
      `INSERT INTO api_keys (key_id, principal_id, environment, secret_sha256, label, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [key.keyId, key.principalId, key.environment, key.hash, key.label, key.expiresAt],
    );
    return this.findByKeyId(key.keyId, manager) as Promise<ApiKeyRecord>;
  }

  /**
   * The configured bootstrap key: its hash follows the configuration, but a revocation made
   * through the API sticks until a different key is configured.
   */
  async upsertBootstrap(key: NewApiKeyRow, manager: EntityManager): Promise<'created' | 'kept'> {
    const rows: { inserted: boolean }[] = await manager.query(
      `INSERT INTO api_keys (key_id, principal_id, environment, secret_sha256, label)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key_id) DO UPDATE SET secret_sha256 = EXCLUDED.secret_sha256, principal_id = EXCLUDED.principal_id
       RETURNING (xmax = 0) AS inserted`,
      [key.keyId, key.principalId, key.environment, key.hash, key.label],
    );
    return rows[0]?.inserted ? 'created' : 'kept';
  }

  async findByKeyId(keyId: string, manager?: EntityManager): Promise<ApiKeyRecord | null> {
    const rows: ApiKeyRecord[] = await (manager ?? this.dataSource.manager).query(
      `${SELECT} WHERE k.key_id = $1`,
      [keyId],
    );
    return rows[0] ?? null;
  }

  async listForPrincipal(principalId: string, scope: ScopeCondition): Promise<ApiKeyRecord[]> {
    const params: unknown[] = [principalId];
    const param = (value: unknown): string => `$${params.push(value)}`;
    return this.dataSource.query(
      `${SELECT} WHERE k.principal_id = $1 AND ${scopeSql(scope, { principalId: 'k.principal_id' }, param)}
       ORDER BY k.created_at, k.key_id`,
      params,
    );
  }

  /** Idempotent: revoking a revoked key keeps the first revocation time. */
  async revoke(keyId: string, manager: EntityManager): Promise<ApiKeyRecord> {
    await manager.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE key_id = $1', [
      keyId,
    ]);
    return this.findByKeyId(keyId, manager) as Promise<ApiKeyRecord>;
  }
}
