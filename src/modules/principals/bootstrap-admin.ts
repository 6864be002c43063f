import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../../auth/actor';
import { generateApiKey, hashApiKey, parseApiKey } from '../../auth/api-key';
import { auditContextOf } from '../../auth/audit-context';
import { AUDIT_RECORDER, type AuditRecorder } from '../../auth/audit-recorder';
import { type AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ApiKeysRepository } from './api-keys.repository';
import { PrincipalsRepository } from './principals.repository';

export const BOOTSTRAP_PRINCIPAL = 'bootstrap-admin';
export const BOOTSTRAP_KEY_FILE = 'bootstrap-admin.key';
// Instances starting together must not each mint a first admin.
const BOOTSTRAP_LOCK_KEY = 7_261_504_114;

/**
 * A fresh install needs a first admin. With CHARTER_BOOTSTRAP_ADMIN_KEY, that key's hash is
 * upserted for the `bootstrap-admin` principal. Without it, and only while nobody holds a usable
 * admin grant, a key is generated into <dataDir>/bootstrap-admin.key (mode 0600) and its path logged.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly principals: PrincipalsRepository,
    private readonly keys: ApiKeysRepository,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      const configured = this.config.bootstrapAdminKey;
      if (configured !== null) {
        await this.upsert(manager, configured);
        return;
      }
      if (await this.principals.hasUsableAdmin(manager)) return;
      const key = generateApiKey(this.config.environment);
      await this.upsert(manager, key.secret);
      const file = this.writeKeyFile(key.secret);
      this.logger.warn(
        `no admin could sign in, so a first admin key was written to ${file}; send it as "Authorization: Bearer <key>", then create your own principals and keys and revoke it`,
      );
    });
  }

  private async upsert(manager: EntityManager, key: string): Promise<void> {
    const parsed = parseApiKey(key);
    if (!parsed) throw new Error('bootstrap key format invalid');
    const principalId = await this.adminPrincipal(manager);
    const outcome = await this.keys.upsertBootstrap(
      {
        keyId: parsed.keyId,
        principalId,
        environment: parsed.environment,
        hash: hashApiKey(key),
        label: 'bootstrap',
        expiresAt: null,
      },
      manager,
    );
    if (outcome === 'created')
      await this.audit.record(
        { type: 'api-key.created', principalId, keyId: parsed.keyId, expiresAt: null },
        auditContextOf(SYSTEM_ACTOR),
        manager,
      );
  }

  private async adminPrincipal(manager: EntityManager): Promise<string> {
    const existing = await this.principals.findByName(BOOTSTRAP_PRINCIPAL, manager);
    let id = existing?.id;
    if (id === undefined) {
      const created = await this.principals.insert(
        {
          name: BOOTSTRAP_PRINCIPAL,
          kind: 'service',
          displayName: 'Bootstrap administrator',
          jwtSubject: null,
        },
        manager,
      );
      if (created.kind !== 'created') throw new Error('bootstrap principal could not be created');
      id = created.principal.id;
      await this.audit.record(
        { type: 'principal.created', principalId: id, name: BOOTSTRAP_PRINCIPAL, kind: 'service' },
        auditContextOf(SYSTEM_ACTOR),
        manager,
      );
    }
    const granted: unknown[] = await manager.query(
      `INSERT INTO role_grants (principal_id, role) VALUES ($1, 'admin') ON CONFLICT DO NOTHING RETURNING id`,
      [id],
    );
    const grantId = (granted[0] as { id: string } | undefined)?.id;
    if (grantId !== undefined)
      await this.audit.record(
        {
          type: 'role.granted',
          grantId,
          principalId: id,
          role: 'admin',
          domainId: null,
          productId: null,
          clearFields: [],
        },
        auditContextOf(SYSTEM_ACTOR),
        manager,
      );
    return id;
  }

  private writeKeyFile(key: string): string {
    mkdirSync(this.config.dataDir, { recursive: true });
    const file = join(this.config.dataDir, BOOTSTRAP_KEY_FILE);
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return file;
  }
}
