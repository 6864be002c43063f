import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateWebhookSecret, isValidName } from '@charter/sdk';
import { DataSource } from 'typeorm';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { DomainError, invalidInput, notFound } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { type AuditEntry, auditActorOf, stateHash } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { ALL_CHANGE_EVENT_TYPES } from '../change-events';
import { ProductLookup } from '../contracts/product-lookup';
import { DomainsRepository } from '../domains/domains.repository';
import {
  type DeliveryRecord,
  type DeliveryStatus,
  WebhookDeliveriesRepository,
} from './webhook-deliveries.repository';
import { checkWebhookUrl } from './webhook-target';
import { WebhookWorker } from './webhook-worker';
import { type WebhookChanges, type WebhookRecord, WebhooksRepository } from './webhooks.repository';
import { transactionFor } from '../../database/request-transaction';

export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_DELIVERIES_PAGE = 200;
/** Per domain or product: every event fans out to each of them, in the writer's transaction. */
export const MAX_WEBHOOKS_PER_SCOPE = 25;

export interface WebhookScopeInput {
  domain?: string | null;
  product?: string | null;
}

interface Scope {
  domainId: string;
  productId: string | null;
}

export interface RegisterWebhookCommand extends WebhookScopeInput {
  url: string;
  eventTypes?: string[] | null;
  description?: string | null;
}

export interface UpdateWebhookCommand {
  id: string;
  url?: string | null;
  eventTypes?: string[] | null;
  /** True: deliver every event type again (eventTypes null means "unchanged"). */
  allEventTypes?: boolean | null;
  description?: string | null;
  rotateSecret?: boolean | null;
}

export interface WebhookWithSecret {
  webhook: WebhookRecord;
  /** Shown once: at registration and when rotated. */
  secret: string | null;
}

/** A domain's webhooks are its owners' (update Domain), a product's its owners' (update DataProduct). */
function ensureMayManage(actor: Actor, scope: Scope): void {
  if (scope.productId === null) ensureAllowed(actor, 'update', 'Domain', { id: scope.domainId });
  else ensureAllowed(actor, 'update', 'DataProduct', { id: scope.productId, domainId: scope.domainId });
}

/** What the audit record keeps of a webhook: a hash of its settings, never the URL or secret. */
function settingsHash(webhook: Pick<WebhookRecord, 'url' | 'eventTypes' | 'description'>): string {
  return stateHash({ url: webhook.url, eventTypes: webhook.eventTypes, description: webhook.description });
}

function webhookAudit(
  actor: Actor,
  webhook: WebhookRecord,
  action: string,
  change: AuditEntry['change'],
): AuditEntry {
  return {
    actor: auditActorOf(actor),
    action,
    resource: {
      type: 'Webhook',
      id: webhook.id,
      domainId: webhook.domainId,
      ...(webhook.productId !== null && { productId: webhook.productId }),
      ...(webhook.product !== null && { product: `${webhook.domain}.${webhook.product}` }),
    },
    change,
  };
}

@Injectable()
export class WebhooksService {
  private readonly allowedOrigins: readonly string[];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveryRecords: WebhookDeliveriesRepository,
    private readonly products: ProductLookup,
    private readonly domains: DomainsRepository,
    private readonly audit: AuditLog,
    private readonly worker: WebhookWorker,
  ) {
    this.allowedOrigins = config.webhooks.allowedOrigins;
  }

  private async locate(actor: Actor, input: WebhookScopeInput): Promise<Scope> {
    if (Boolean(input.product) === Boolean(input.domain))
      throw invalidInput('name a product or a domain', [
        { path: 'scope', code: 'AMBIGUOUS_SCOPE', message: 'exactly one of product, domain' },
      ]);
    if (input.product) {
      const product = await this.products.require(actor, input.product);
      return { domainId: product.domainId, productId: product.id };
    }
    const name = input.domain ?? '';
    const domain = isValidName(name) ? await this.domains.findByName(name) : null;
    if (!domain) throw notFound(`domain ${name}`);
    ensureVisible(actor, 'Domain', { id: domain.id }, `domain ${name}`);
    return { domainId: domain.id, productId: null };
  }

  /** The webhook, if the caller may manage it; NOT_FOUND when missing or not visible. */
  private async manageable(actor: Actor, id: string): Promise<WebhookRecord> {
    const webhook = /^[0-9a-f-]{36}$/i.test(id) ? await this.webhooks.find(id) : null;
    if (!webhook) throw notFound(`webhook ${id}`);
    const scope = { domainId: webhook.domainId, productId: webhook.productId };
    if (scope.productId === null) ensureVisible(actor, 'Domain', { id: scope.domainId }, `webhook ${id}`);
    else
      ensureVisible(actor, 'DataProduct', { id: scope.productId, domainId: scope.domainId }, `webhook ${id}`);
    ensureMayManage(actor, scope);
    return webhook;
  }

  private checkFields(eventTypes: string[] | null | undefined, description: string | null | undefined): void {
    const known = new Set<string>(ALL_CHANGE_EVENT_TYPES);
    new InputProblems()
      .text('description', description, MAX_DESCRIPTION_LENGTH)
      .check(eventTypes === null || eventTypes === undefined || eventTypes.length > 0, {
        path: 'eventTypes',
        code: 'EMPTY',
        message: 'omit eventTypes to receive every type',
      })
      .check(
        (eventTypes ?? []).every((type) => known.has(type)),
        {
          path: 'eventTypes',
          code: 'UNKNOWN_EVENT_TYPE',
          message: `one of ${[...known].join(', ')}`,
        },
      )
      .throwIfAny();
  }

  async register(actor: Actor, command: RegisterWebhookCommand): Promise<WebhookWithSecret> {
    const scope = await this.locate(actor, command);
    ensureMayManage(actor, scope);
    this.checkFields(command.eventTypes, command.description);
    const url = checkWebhookUrl(command.url, this.allowedOrigins);
    const secret = generateWebhookSecret();
    const webhook = await transactionFor(this.dataSource, actor, async (manager) => {
      if ((await this.webhooks.countAt(manager, scope.domainId, scope.productId)) >= MAX_WEBHOOKS_PER_SCOPE)
        throw new DomainError(
          'CONFLICT',
          `at most ${MAX_WEBHOOKS_PER_SCOPE} webhooks per domain or product`,
          [{ path: 'scope', code: 'TOO_MANY_WEBHOOKS', message: 'delete one first' }],
        );
      const id = await this.webhooks.insert(manager, {
        ...scope,
        url,
        secret,
        eventTypes: command.eventTypes ? [...new Set(command.eventTypes)] : null,
        description: command.description ?? null,
      });
      const created = await this.webhooks.find(id, manager);
      if (!created) throw new Error('the webhook just inserted cannot be read back');
      await this.audit.append(
        manager,
        webhookAudit(actor, created, 'webhook.register', {
          afterHash: settingsHash(created),
          summary: `registered for ${created.eventTypes?.length ?? 'all'} event types`,
        }),
      );
      return created;
    });
    return { webhook, secret };
  }

  async update(actor: Actor, command: UpdateWebhookCommand): Promise<WebhookWithSecret> {
    const before = await this.manageable(actor, command.id);
    if (command.allEventTypes && command.eventTypes)
      throw invalidInput('give eventTypes or allEventTypes, not both', [
        { path: 'allEventTypes', code: 'CONFLICTING_FIELDS', message: 'one of eventTypes, allEventTypes' },
      ]);
    this.checkFields(command.eventTypes, command.description);
    const changes: WebhookChanges = {};
    if (command.url !== undefined && command.url !== null)
      changes.url = checkWebhookUrl(command.url, this.allowedOrigins);
    if (command.eventTypes) changes.eventTypes = [...new Set(command.eventTypes)];
    if (command.allEventTypes) changes.eventTypes = null;
    if (command.description !== undefined) changes.description = command.description;
    const secret = command.rotateSecret ? generateWebhookSecret() : null;
    if (secret !== null) changes.secret = secret;
    const changed = Object.keys(changes);
    if (changed.length === 0)
      throw invalidInput('nothing to change', [
        { path: 'input', code: 'REQUIRED', message: 'give a field to change' },
      ]);
    const webhook = await transactionFor(this.dataSource, actor, async (manager) => {
      if (!(await this.webhooks.update(manager, before.id, changes))) throw notFound(`webhook ${before.id}`);
      const after = await this.webhooks.find(before.id, manager);
      if (!after) throw notFound(`webhook ${before.id}`);
      await this.audit.append(
        manager,
        webhookAudit(actor, after, 'webhook.update', {
          beforeHash: settingsHash(before),
          afterHash: settingsHash(after),
          summary: `changed ${changed.map((key) => (key === 'secret' ? 'secret (rotated)' : key)).join(', ')}`,
        }),
      );
      return after;
    });
    return { webhook, secret };
  }

  async delete(actor: Actor, id: string): Promise<boolean> {
    const webhook = await this.manageable(actor, id);
    return transactionFor(this.dataSource, actor, async (manager) => {
      if (!(await this.webhooks.delete(manager, webhook.id))) throw notFound(`webhook ${id}`);
      await this.audit.append(
        manager,
        webhookAudit(actor, webhook, 'webhook.delete', {
          beforeHash: settingsHash(webhook),
          summary: 'deleted',
        }),
      );
      return true;
    });
  }

  async list(actor: Actor, scope: WebhookScopeInput): Promise<WebhookRecord[]> {
    const located = await this.locate(actor, scope);
    ensureMayManage(actor, located);
    return this.webhooks.list(located.domainId, located.productId);
  }

  async deliveries(
    actor: Actor,
    webhookId: string,
    status: DeliveryStatus | null,
    first: number,
  ): Promise<DeliveryRecord[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE)
      throw invalidInput(`first must be 1 to ${MAX_DELIVERIES_PAGE}`, [
        { path: 'first', code: 'OUT_OF_RANGE', message: `1 to ${MAX_DELIVERIES_PAGE}` },
      ]);
    const webhook = await this.manageable(actor, webhookId);
    return this.deliveryRecords.list(webhook.id, status, first);
  }

  /** A dead delivery is queued again with a fresh set of attempts. */
  async redeliver(actor: Actor, deliveryId: string): Promise<DeliveryRecord> {
    const delivery = await this.deliveryRecords.find(deliveryId);
    if (!delivery) throw notFound(`delivery ${deliveryId}`);
    const webhook = await this.manageable(actor, delivery.webhookId).catch((error: unknown) => {
      // The delivery's existence is not revealed to those who cannot see its webhook.
      if (error instanceof DomainError && error.code === 'NOT_FOUND')
        throw notFound(`delivery ${deliveryId}`);
      throw error;
    });
    const updated = await transactionFor(this.dataSource, actor, async (manager) => {
      if (!(await this.deliveryRecords.redeliver(manager, delivery.id)))
        throw new DomainError('CONFLICT', 'only a dead delivery can be redelivered', [
          { path: 'id', code: 'NOT_DEAD', message: `the delivery is ${delivery.status}` },
        ]);
      await this.audit.append(manager, {
        ...webhookAudit(actor, webhook, 'webhook.delivery.redeliver', {
          summary: `delivery ${delivery.id} of event ${delivery.eventId} queued again`,
        }),
      });
      return this.deliveryRecords.find(delivery.id, manager);
    });
    this.worker.wake();
    if (!updated) throw notFound(`delivery ${deliveryId}`);
    return updated;
  }
}
