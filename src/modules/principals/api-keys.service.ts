import { Inject, Injectable } from '@nestjs/common';
import { CredentialsCache } from '../../auth/credentials-cache';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { generateApiKey } from '../../auth/api-key';
import { auditContextOf } from '../../auth/audit-context';
import { AUDIT_RECORDER, type AuditRecorder } from '../../auth/audit-recorder';
import { type AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { notFound } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type ApiKeyRecord, ApiKeysRepository } from './api-keys.repository';
import { type CreateApiKeyInput } from './dto/principal.input';
import { PrincipalsService } from './principals.service';
import { transactionFor } from '../../database/request-transaction';

export interface CreatedApiKey {
  apiKey: ApiKeyRecord;
  /** The only time the key is ever returned. */
  secret: string;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly credentialsCache: CredentialsCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly principals: PrincipalsService,
    private readonly keys: ApiKeysRepository,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
  ) {}

  async create(actor: Actor, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    new InputProblems()
      .text('label', input.label, 200)
      .check(input.expiresAt == null || input.expiresAt.getTime() > Date.now(), {
        path: 'expiresAt',
        code: 'IN_THE_PAST',
        message: 'must be in the future',
      })
      .throwIfAny();
    const principal = await this.principals.get(actor, input.principal);
    ensureAllowed(actor, 'create', 'ApiKey', { principalId: principal.id });
    const key = generateApiKey(this.config.environment);
    return transactionFor(this.dataSource, actor, async (manager) => {
      const apiKey = await this.keys.insert(
        {
          keyId: key.keyId,
          principalId: principal.id,
          environment: key.environment,
          hash: key.hash,
          label: input.label ?? '',
          expiresAt: input.expiresAt ?? null,
        },
        manager,
      );
      await this.audit.record(
        { type: 'api-key.created', principalId: principal.id, keyId: key.keyId, expiresAt: apiKey.expiresAt },
        auditContextOf(actor),
        manager,
      );
      return { apiKey, secret: key.secret };
    });
  }

  async revoke(actor: Actor, keyId: string): Promise<ApiKeyRecord> {
    const what = 'api key';
    const key = await this.keys.findByKeyId(keyId);
    if (!key) throw notFound(what);
    ensureVisible(actor, 'ApiKey', { principalId: key.principalId }, what);
    ensureAllowed(actor, 'delete', 'ApiKey', { principalId: key.principalId });
    return transactionFor(this.dataSource, actor, async (manager) => {
      // Cached authentications of this instance stop counting now; other instances at commit.
      this.credentialsCache.invalidate();
      const revoked = await this.keys.revoke(keyId, manager);
      await this.audit.record(
        { type: 'api-key.revoked', principalId: key.principalId, keyId },
        auditContextOf(actor),
        manager,
      );
      return revoked;
    });
  }
}
