import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isValidName } from '@charter/sdk';
import { DataSource } from 'typeorm';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { invalidInput, notFound } from '../../common/errors/error-codes';
import { DomainsRepository } from '../domains/domains.repository';
import { type SettingsTarget } from './compatibility-settings.repository';
import { CompatibilitySettingsRepository } from './compatibility-settings.repository';
import { type ResolvedSettings, resolveSettings } from './compatibility-settings';
import { ProductLookup } from './product-lookup';
import { type AuditEntry, auditActorOf } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { CHANGE_EVENT_TYPES, type ChangeEventInput, ChangeEvents } from '../change-events';
import { transactionFor } from '../../database/request-transaction';

export interface SettingsScopeInput {
  product?: string | null;
  domain?: string | null;
}

interface Located {
  target: SettingsTarget;
  productId: string | null;
  domainId: string | null;
  /** Names for the change event. */
  domainName: string | null;
  productName: string | null;
}

/**
 * Product settings are the product's owners' to change, domain settings the domain's owners',
 * global settings only an unscoped admin's (checked against an id no scoped rule can match).
 */
function ensureMayChange(actor: Actor, located: Located): void {
  if (located.target.scope === 'product') {
    ensureAllowed(actor, 'update', 'DataProduct', { id: located.productId, domainId: located.domainId });
  } else if (located.target.scope === 'domain') {
    ensureAllowed(actor, 'update', 'Domain', { id: located.domainId });
  } else {
    ensureAllowed(actor, 'update', 'Domain', { id: 'every-domain' });
  }
}

function settingsChange(actor: Actor, located: Located, action: string, summary: string): AuditEntry {
  return {
    actor: auditActorOf(actor),
    action,
    resource: {
      type: 'CompatibilitySettings',
      id: located.target.scope,
      ...(located.productId !== null && { productId: located.productId }),
      ...(located.domainId !== null && { domainId: located.domainId }),
    },
    change: { summary },
  };
}

/** Carries the settings now in force at the changed level (inherited ones included), never who set them. */
function settingsChangedEvent(
  located: Located,
  settings: ResolvedSettings,
  cleared: boolean,
): ChangeEventInput {
  const { productId, domainId, domainName, productName } = located;
  return {
    type: CHANGE_EVENT_TYPES.settingsChanged,
    subject: 'compatibility-settings',
    domain: domainId !== null && domainName !== null ? { id: domainId, name: domainName } : null,
    product: productId !== null && productName !== null ? { id: productId, name: productName } : null,
    data: {
      scope: located.target.scope,
      productId,
      domainId,
      cleared,
      compatibilityMode: settings.mode,
      compatibilityPolicy: settings.policy,
    },
  };
}

/** Compatibility mode and policy at product, domain and global level; resolved in that order. */
@Injectable()
export class CompatibilitySettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: CompatibilitySettingsRepository,
    private readonly products: ProductLookup,
    private readonly domains: DomainsRepository,
    private readonly audit: AuditLog,
    private readonly changeEvents: ChangeEvents,
  ) {}

  private async locate(actor: Actor, scope: SettingsScopeInput): Promise<Located> {
    if (scope.product && scope.domain) {
      throw invalidInput('name a product or a domain, not both', [
        { path: 'scope', code: 'AMBIGUOUS_SCOPE', message: 'one of product, domain' },
      ]);
    }
    if (scope.product) {
      const product = await this.products.require(actor, scope.product);
      return {
        target: { scope: 'product', scopeId: product.id },
        productId: product.id,
        domainId: product.domainId,
        domainName: product.domain,
        productName: product.name,
      };
    }
    if (scope.domain) {
      const domain = isValidName(scope.domain) ? await this.domains.findByName(scope.domain) : null;
      if (!domain) throw notFound(`domain ${scope.domain}`);
      ensureVisible(actor, 'Domain', { id: domain.id }, `domain ${scope.domain}`);
      return {
        target: { scope: 'domain', scopeId: domain.id },
        productId: null,
        domainId: domain.id,
        domainName: domain.name,
        productName: null,
      };
    }
    return {
      target: { scope: 'global', scopeId: null },
      productId: null,
      domainId: null,
      domainName: null,
      productName: null,
    };
  }

  async resolve(actor: Actor, scope: SettingsScopeInput): Promise<ResolvedSettings> {
    const located = await this.locate(actor, scope);
    return resolveSettings(await this.settings.applicable(located.productId, located.domainId));
  }

  async set(
    actor: Actor,
    scope: SettingsScopeInput,
    mode: string | null,
    policy: string | null,
  ): Promise<ResolvedSettings> {
    if (mode === null && policy === null) {
      throw invalidInput('give a mode, a policy or both', [
        { path: 'mode', code: 'REQUIRED', message: 'mode or policy' },
      ]);
    }
    const located = await this.locate(actor, scope);
    ensureMayChange(actor, located);
    await transactionFor(this.dataSource, actor, async (manager) => {
      await this.settings.upsert(located.target, mode, policy, manager);
      const summary = `mode ${mode ?? 'unchanged'}, policy ${policy ?? 'unchanged'}`;
      const now = resolveSettings(
        await this.settings.applicable(located.productId, located.domainId, manager),
      );
      await this.changeEvents.emit(manager, settingsChangedEvent(located, now, false));
      await this.audit.append(manager, settingsChange(actor, located, 'compatibility-settings.set', summary));
    });
    return this.resolve(actor, scope);
  }

  /** Removes this level's own settings, so it inherits again. */
  async clear(actor: Actor, scope: SettingsScopeInput): Promise<ResolvedSettings> {
    const located = await this.locate(actor, scope);
    ensureMayChange(actor, located);
    await transactionFor(this.dataSource, actor, async (manager) => {
      if (!(await this.settings.clear(located.target, manager))) return;
      const now = resolveSettings(
        await this.settings.applicable(located.productId, located.domainId, manager),
      );
      await this.changeEvents.emit(manager, settingsChangedEvent(located, now, true));
      await this.audit.append(
        manager,
        settingsChange(actor, located, 'compatibility-settings.clear', 'cleared'),
      );
    });
    return this.resolve(actor, scope);
  }
}
