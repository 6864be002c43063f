import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  checkContractChange,
  type CompatibilityMode,
  prepareContract,
  type PreparedContract,
} from '@charter/sdk';
import { DataSource, type EntityManager } from 'typeorm';
import { type PipelinedStatement } from '../../database/pipelined-query';
import { inPipelinedTransaction, type PipelinedTransaction } from '../../database/pipelined-transaction';
import { ensureAllowed } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { CharterMetrics } from '../../observability/charter-metrics';
import { type DataProductRecord } from '../data-products/data-products.repository';
import { auditActorOf, type AuditEntry } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { ChangeEvents } from '../change-events';
import {
  breakingChangeRefusedEvent,
  policyChangedEvent,
  policyFingerprintOf,
  versionPublishedEvent,
} from './contract-change-events';
import { CompatibilitySettingsRepository } from './compatibility-settings.repository';
import { resolveSettings } from './compatibility-settings';
import { compatible, incompatible, invalid, published, toChangeModels } from './contract-outcomes';
import { ContractChangeNotifier } from './contract-change-notifier';
import {
  ContractPublishRepository,
  insertedVersionOf,
  STALE_CONTENT_ID_CONSTRAINT,
} from './contract-publish.repository';
import {
  type ContractVersionRecord,
  ContractVersionsRepository,
  type NewContractVersion,
} from './contract-versions.repository';
import { type CheckOutcome, type PublishOutcome } from './models/publish-result.model';
import { contractSubject, ProductLookup } from './product-lookup';

/**
 * The write path (RELIABILITY §4.2): validate outside any transaction, then in one transaction lock
 * the product row, re-check for identical content, check compatibility against the history under
 * the lock, insert and commit. Concurrent publishers to one product queue on the row lock.
 */
@Injectable()
export class PublishContractService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductLookup,
    private readonly versions: ContractVersionsRepository,
    private readonly publishes: ContractPublishRepository,
    private readonly settings: CompatibilitySettingsRepository,
    private readonly notifier: ContractChangeNotifier,
    private readonly audit: AuditLog,
    private readonly changeEvents: ChangeEvents,
    private readonly metrics: CharterMetrics,
  ) {}

  async publish(actor: Actor, productRef: string, text: string): Promise<PublishOutcome> {
    const outcome = await this.publishOnce(actor, productRef, text);
    this.metrics.publish(publishMetricOf(outcome));
    return outcome;
  }

  private async publishOnce(actor: Actor, productRef: string, text: string): Promise<PublishOutcome> {
    const product = await this.products.require(actor, productRef);
    ensureAllowed(actor, 'publish', 'Contract', contractSubject(product));
    const prepared = prepareContract(text);
    if (!prepared.ok) return invalid(prepared.issues);
    // Identical content is found under the lock (lockAndRead): a look-up before it would cost every
    // new version a round trip to spare a re-publish its lock.
    const outcome = await this.publishInTransaction(actor, product, prepared.contract, text);
    // A refusal changes nothing, so its event gets a small transaction of its own.
    if (outcome.__typename === 'IncompatibleContract')
      await this.changeEvents.emitAlone(
        breakingChangeRefusedEvent(product, prepared.contract.contentHash, outcome),
        actor,
      );
    return outcome;
  }

  /**
   * publishLocked in a transaction of its own; once more when the content id its locked reads gave
   * went stale (another product committed the same content in between), which the next locked
   * reads then see.
   */
  private async publishInTransaction(
    actor: Actor,
    product: DataProductRecord,
    contract: PreparedContract,
    text: string,
  ): Promise<LockedOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await inPipelinedTransaction(this.dataSource, actor, (transaction) =>
          this.publishLocked(transaction, actor, product, contract, text),
        );
      } catch (error) {
        if (attempt >= PUBLISH_ATTEMPTS || !isStaleContentId(error)) throw error;
      }
    }
  }

  /**
   * Two round trips for the whole transaction: BEGIN, the row lock and the reads behind it; then
   * the insert, the change events, the audit chain lock, the audit event and COMMIT (so the chain
   * lock is held for the audit insert and the commit alone).
   */
  private async publishLocked(
    transaction: PipelinedTransaction,
    actor: Actor,
    product: DataProductRecord,
    contract: PreparedContract,
    text: string,
  ): Promise<LockedOutcome> {
    const { manager } = transaction;
    const run = (statements: readonly PipelinedStatement[]): Promise<Record<string, unknown>[][]> =>
      transaction.run(statements);
    const reads = await this.publishes.lockAndRead(product.id, product.domainId, contract.contentHash, run);
    if (reads.raced) return published(reads.raced, false, null);
    const settings = resolveSettings(reads.settings);
    const history = settings.mode.endsWith('_TRANSITIVE')
      ? await this.versions.liveHistory(product.id, manager)
      : reads.latest
        ? [reads.latest]
        : [];
    const report = this.metrics.timeCheck(settings.mode, () =>
      checkContractChange({
        mode: settings.mode,
        policy: settings.policy,
        history: history.map((version) => version.document as never),
        proposed: contract.document,
      }),
    );
    if (report.verdict !== 'compatible') return incompatible(report, history);
    const stored = {
      productId: product.id,
      version: reads.highWater + 1,
      contentId: reads.contentId,
      sourceText: text,
      compatibilityMode: settings.mode,
      compatibilityPolicy: settings.policy,
    };
    this.notifier.forgetLocally(product.id);
    // All the version's events name is known before the insert (its id came with the locked
    // reads), so they and the audit event go with the insert and COMMIT in one round trip.
    const named = namedVersion(product, stored, contract);
    const previous = latestOf(history);
    const changes = toChangeModels(report.changes, history);
    const events = [versionPublishedEvent(product, named, previous, changes)];
    if (policyFingerprintOf(previous?.document) !== policyFingerprintOf(named.document))
      events.push(policyChangedEvent(product, named, previous));
    // One event per committed version, none for an idempotent re-publish.
    const audited = this.audit.pending(manager, publishEntry(actor, product, named, reads.highWater));
    const [inserted, ...results] = await transaction.commitWith([
      this.publishes.insertStatement(stored, contract, contract.fields),
      ...events.map((event) => this.changeEvents.emitStatement(manager, event).statement),
      ...(audited ? audited.statements : []),
    ]);
    if (audited) this.audit.recorded(audited, results);
    const row = insertedVersionOf(inserted);
    return published({ ...named, document: row.document, createdAt: row.createdAt }, true, {
      changes,
      needsApproval: report.needsApproval,
    });
  }

  /** Transitive modes check every live version; the others only the latest, so only it is loaded. */
  private async historyFor(
    productId: string,
    mode: CompatibilityMode,
    manager: EntityManager,
  ): Promise<ContractVersionRecord[]> {
    if (mode.endsWith('_TRANSITIVE')) return this.versions.liveHistory(productId, manager);
    const latest = await this.versions.findLatestLive(productId, manager);
    return latest ? [latest] : [];
  }

  /** The same verdict as publish, storing nothing. */
  async check(actor: Actor, productRef: string, text: string): Promise<CheckOutcome> {
    const product = await this.products.require(actor, productRef);
    ensureAllowed(actor, 'check', 'Contract', contractSubject(product));
    const prepared = prepareContract(text);
    if (!prepared.ok) return invalid(prepared.issues);
    const settings = resolveSettings(await this.settings.applicable(product.id, product.domainId));
    const existing = await this.versions.findLiveByContent(product.id, prepared.contract.contentHash);
    const history = await this.historyFor(product.id, settings.mode, this.dataSource.manager);
    const report = this.metrics.timeCheck(settings.mode, () =>
      checkContractChange({
        mode: settings.mode,
        policy: settings.policy,
        history: history.map((version) => version.document as never),
        proposed: prepared.contract.document,
      }),
    );
    if (existing || report.verdict === 'compatible') return compatible(report, history, existing);
    return incompatible(report, history);
  }
}

type LockedOutcome = ReturnType<typeof published> | ReturnType<typeof incompatible>;

/** Tries of one publish: a stale content id needs one more, and two in a row would need a third. */
const PUBLISH_ATTEMPTS = 3;

function isStaleContentId(error: unknown): boolean {
  const failure = error as { code?: unknown; constraint?: unknown } | null;
  return failure?.code === '23503' && failure.constraint === STALE_CONTENT_ID_CONSTRAINT;
}

/** A version about to be stored: everything but the time its row gets. */
type NamedVersion = Omit<ContractVersionRecord, 'createdAt'>;

function namedVersion(
  product: DataProductRecord,
  stored: NewContractVersion,
  contract: PreparedContract,
): NamedVersion {
  const { contentId, ...version } = stored;
  return {
    ...version,
    id: contentId,
    domainId: product.domainId,
    product: `${product.domain}.${product.name}`,
    contentHash: contract.contentHash,
    // the stored row's document is this one, read back from jsonb after the insert
    document: contract.document as unknown as Record<string, unknown>,
    state: 'active',
    deprecationReason: null,
    deletedAt: null,
  };
}

/** The audit entry of a committed version. */
function publishEntry(
  actor: Actor,
  product: DataProductRecord,
  created: NamedVersion,
  highWater: number,
): AuditEntry {
  return {
    actor: auditActorOf(actor),
    action: 'contract.version.publish',
    resource: {
      type: 'Contract',
      id: String(created.id),
      product: created.product,
      productId: product.id,
      domainId: product.domainId,
      version: created.version,
    },
    change: {
      afterHash: created.contentHash,
      ...(highWater > 0 && { fromVersion: highWater }),
      toVersion: created.version,
    },
  };
}

/** The newest version of a history (the last one published before this publish). */
function latestOf(history: readonly ContractVersionRecord[]): ContractVersionRecord | null {
  return history.reduce<ContractVersionRecord | null>(
    (latest, version) => (latest === null || version.version > latest.version ? version : latest),
    null,
  );
}

/** What a publish attempt counts as in `charter_contract_publishes_total`. */
function publishMetricOf(outcome: PublishOutcome): 'created' | 'unchanged' | 'incompatible' | 'invalid' {
  if ('created' in outcome) return outcome.created ? 'created' : 'unchanged';
  return 'issues' in outcome ? 'invalid' : 'incompatible';
}
