import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export type SettingsScope = 'global' | 'domain' | 'product';

export interface SettingsRow {
  scope: SettingsScope;
  mode: string | null;
  policy: string | null;
}

export interface SettingsTarget {
  scope: SettingsScope;
  /** Null for the global scope. */
  scopeId: string | null;
}

@Injectable()
export class CompatibilitySettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rows that apply at a level: the product's (if any), its domain's (if any) and the global one. */
  applicable(
    productId: string | null,
    domainId: string | null,
    manager?: EntityManager,
  ): Promise<SettingsRow[]> {
    return (manager ?? this.dataSource.manager).query<SettingsRow[]>(
      `SELECT scope, mode, policy FROM compatibility_settings
       WHERE (scope = 'product' AND scope_id = $1) OR (scope = 'domain' AND scope_id = $2) OR scope = 'global'`,
      [productId, domainId],
    );
  }

  async upsert(
    target: SettingsTarget,
    mode: string | null,
    policy: string | null,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO compatibility_settings (scope, scope_id, mode, policy) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, (coalesce(scope_id, '00000000-0000-0000-0000-000000000000'::uuid)))
       DO UPDATE SET mode = coalesce(EXCLUDED.mode, compatibility_settings.mode),
                     policy = coalesce(EXCLUDED.policy, compatibility_settings.policy), updated_at = now()`,
      [target.scope, target.scopeId, mode, policy],
    );
  }

  async clear(target: SettingsTarget, manager: EntityManager): Promise<boolean> {
    const result = await manager.query<[unknown[], number]>(
      'DELETE FROM compatibility_settings WHERE scope = $1 AND scope_id IS NOT DISTINCT FROM $2',
      [target.scope, target.scopeId],
    );
    return result[1] > 0;
  }
}
