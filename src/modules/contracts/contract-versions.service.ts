import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkContractChange, type CompatibilityMode, type CompatibilityPolicy } from '@charter/sdk';
import { DataSource } from 'typeorm';
import { DomainError, invalidInput, notFound } from '../../common/errors/error-codes';
import { CompatibilitySettingsRepository } from './compatibility-settings.repository';
import { resolveSettings } from './compatibility-settings';
import { ContractChangeNotifier } from './contract-change-notifier';
import { ANY_PRODUCT } from './contract-channel';
import { ContractReadCache } from './contract-read-cache';
import { type ContractVersionRecord, ContractVersionsRepository } from './contract-versions.repository';
import { toChangeModels } from './contract-outcomes';
import { contractSubject, ProductLookup } from './product-lookup';
import { type DataProductRecord } from '../data-products/data-products.repository';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { scopeFilter } from '../../auth/scope-filter';
import { type CompatibilityChangeModel } from './models/compatibility.model';
import { type AuditEntry, auditActorOf } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { ChangeEvents } from '../change-events';
import { versionDeletedEvent, versionDeprecatedEvent } from './contract-change-events';
import { transactionFor } from '../../database/request-transaction';

/** `latest` or a version number, as clients write it. */
export type VersionSelector = number | 'latest';

export function parseVersionSelector(raw: string): VersionSelector {
  if (raw === 'latest') return 'latest';
  if (/^[1-9]\d{0,8}$/.test(raw)) return Number(raw);
  throw invalidInput('version must be a positive number or "latest"', [
    { path: 'version', code: 'INVALID_VERSION', message: 'a positive number or "latest"' },
  ]);
}

/** The audit entry of a state change of one version (deprecate, delete, purge). */
function versionChange(
  actor: Actor,
  product: DataProductRecord,
  version: number,
  action: string,
  summary: string,
): AuditEntry {
  return {
    actor: auditActorOf(actor),
    action,
    resource: {
      type: 'Contract',
      product: `${product.domain}.${product.name}`,
      productId: product.id,
      domainId: product.domainId,
      version,
    },
    change: { fromVersion: version, toVersion: version, summary },
  };
}

export interface VersionDiff {
  mode: CompatibilityMode;
  policy: CompatibilityPolicy;
  compatible: boolean;
  changes: CompatibilityChangeModel[];
}

@Injectable()
export class ContractVersionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductLookup,
    private readonly versions: ContractVersionsRepository,
    private readonly settings: CompatibilitySettingsRepository,
    private readonly notifier: ContractChangeNotifier,
    private readonly cache: ContractReadCache,
    private readonly audit: AuditLog,
    private readonly changeEvents: ChangeEvents,
  ) {}

  /** The product, if the caller may read its contracts; NOT_FOUND otherwise. */
  private readable(actor: Actor, productRef: string): Promise<DataProductRecord> {
    return this.products.requireContractReader(actor, productRef);
  }

  /** The hot read: a known product and reader skip the lookup's promise chain (same checks, same answers). */
  get(actor: Actor, productRef: string, selector: VersionSelector): Promise<ContractVersionRecord> {
    const known = this.products.knownContractReader(actor, productRef);
    return known
      ? this.versionOf(known, productRef, selector)
      : this.readable(actor, productRef).then((product) => this.versionOf(product, productRef, selector));
  }

  private async versionOf(
    product: DataProductRecord,
    productRef: string,
    selector: VersionSelector,
  ): Promise<ContractVersionRecord> {
    const record = await this.cache.read(product.id, `${product.id}:${selector}`, () =>
      selector === 'latest'
        ? this.versions.findLatestLive(product.id)
        : this.versions.find(product.id, selector),
    );
    if (!record) throw notFound(`version ${String(selector)} of ${productRef}`);
    return record;
  }

  async getById(actor: Actor, id: number, productRef?: string): Promise<ContractVersionRecord> {
    const product = productRef ? await this.readable(actor, productRef) : undefined;
    const record = await this.cache.read(ANY_PRODUCT, `id:${id}:${product?.id ?? ANY_PRODUCT}`, () =>
      this.versions.findById(id, product?.id),
    );
    if (!record) throw notFound(`contract ${id}`);
    ensureVisible(
      actor,
      'Contract',
      { productId: record.productId, domainId: record.domainId },
      `contract ${id}`,
    );
    return record;
  }

  async list(actor: Actor, productRef: string, includeDeleted: boolean): Promise<ContractVersionRecord[]> {
    const product = await this.readable(actor, productRef);
    return this.versions.list(product.id, includeDeleted);
  }

  /** Products whose contracts the caller may read and that hold a version (the Confluent subject list). */
  async productsWithContracts(actor: Actor, includeDeleted: boolean): Promise<string[]> {
    const scope = scopeFilter(actor.ability, 'read', 'Contract');
    return scope ? this.versions.productsWithVersions(scope, includeDeleted) : [];
  }

  /** What changes from one version to another, judged as if `to` were published after `from`. */
  async diff(
    actor: Actor,
    productRef: string,
    from: number,
    to: number,
    mode?: CompatibilityMode,
  ): Promise<VersionDiff> {
    const product = await this.readable(actor, productRef);
    const [older, newer] = await Promise.all([
      this.versions.find(product.id, from),
      this.versions.find(product.id, to),
    ]);
    if (!older) throw notFound(`version ${from} of ${productRef}`);
    if (!newer) throw notFound(`version ${to} of ${productRef}`);
    const settings = resolveSettings(await this.settings.applicable(product.id, product.domainId));
    const report = checkContractChange({
      mode: mode ?? settings.mode,
      policy: settings.policy,
      history: [older.document as never],
      proposed: newer.document as never,
    });
    return {
      mode: report.mode,
      policy: report.policy,
      compatible: report.verdict === 'compatible',
      changes: toChangeModels(report.changes, [older]),
    };
  }

  async deprecate(
    actor: Actor,
    productRef: string,
    version: number,
    reason: string | null,
  ): Promise<ContractVersionRecord> {
    const product = await this.readable(actor, productRef);
    ensureAllowed(actor, 'update', 'Contract', contractSubject(product));
    if (reason !== null && reason.length > 2000)
      throw invalidInput('the reason is too long', [
        { path: 'reason', code: 'TOO_LONG', message: 'at most 2000 characters' },
      ]);
    await transactionFor(this.dataSource, actor, async (manager) => {
      if (!(await this.versions.setState(product.id, version, 'deprecated', reason, manager))) {
        throw notFound(`version ${version} of ${productRef}`);
      }
      await this.notifier.notifyInTransaction(manager, product.id);
      const record = await this.versions.find(product.id, version, manager);
      if (record)
        await this.changeEvents.emit(manager, versionDeprecatedEvent(product, record, reason !== null));
      const summary = reason === null ? 'deprecated' : 'deprecated with a reason';
      await this.audit.append(
        manager,
        versionChange(actor, product, version, 'contract.version.deprecate', summary),
      );
    });
    return this.get(actor, productRef, version);
  }

  /** Soft delete keeps the version resolvable by id; hard delete needs a soft delete first. */
  async delete(actor: Actor, productRef: string, version: number, permanent: boolean): Promise<boolean> {
    const product = await this.readable(actor, productRef);
    ensureAllowed(actor, 'delete', 'Contract', contractSubject(product));
    const current = await this.versions.find(product.id, version);
    if (!current) throw notFound(`version ${version} of ${productRef}`);
    if (permanent && current.deletedAt === null) {
      throw new DomainError('CONFLICT', 'soft-delete the version before deleting it permanently', [
        { path: 'permanent', code: 'NOT_SOFT_DELETED', message: 'soft-delete first' },
      ]);
    }
    if (!permanent && current.deletedAt !== null) {
      throw new DomainError('CONFLICT', 'the version is already deleted', [
        { path: 'version', code: 'ALREADY_DELETED', message: 'already soft-deleted' },
      ]);
    }
    return transactionFor(this.dataSource, actor, async (manager) => {
      const done = permanent
        ? await this.versions.hardDelete(product.id, version, manager)
        : await this.versions.softDelete(product.id, version, manager);
      if (!done) throw notFound(`version ${version} of ${productRef}`);
      await this.notifier.notifyInTransaction(manager, product.id);
      await this.changeEvents.emit(manager, versionDeletedEvent(product, current, permanent));
      const action = permanent ? 'contract.version.purge' : 'contract.version.delete';
      const summary = permanent ? 'deleted permanently' : 'soft-deleted';
      await this.audit.append(manager, versionChange(actor, product, version, action, summary));
      return true;
    });
  }
}
