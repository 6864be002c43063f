import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseProductRef } from '@charter/sdk';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { scopeFilter } from '../../auth/scope-filter';
import { conflict, invalidInput, notFound } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type Page, pageSize } from '../../common/pagination';
import { withoutNulls } from '../../common/without-nulls';
import { auditActorOf, stateHash } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { canTransition, checkTags } from './data-product.rules';
import { DomainsRepository } from '../domains/domains.repository';
import { type DataProductRecord, DataProductsRepository } from './data-products.repository';
import {
  type CreateDataProductInput,
  type DataProductsArgs,
  type UpdateDataProductInput,
} from './dto/data-product.input';
import { transactionFor } from '../../database/request-transaction';

function productResource(product: DataProductRecord) {
  const ref = `${product.domain}.${product.name}`;
  return {
    type: 'DataProduct',
    id: product.id,
    product: ref,
    productId: product.id,
    domainId: product.domainId,
  };
}

@Injectable()
export class DataProductsService {
  constructor(
    private readonly products: DataProductsRepository,
    private readonly domains: DomainsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: Actor, input: CreateDataProductInput): Promise<DataProductRecord> {
    const problems = new InputProblems()
      .name('domain', input.domain)
      .name('name', input.name)
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, true);
    checkTags(problems, input.tags ?? undefined).throwIfAny();
    const domain = await this.domains.findByName(input.domain);
    if (!domain) throw notFound(`domain ${input.domain}`);
    ensureVisible(actor, 'Domain', { id: domain.id }, `domain ${input.domain}`);
    ensureAllowed(actor, 'create', 'DataProduct', { domainId: domain.id });
    const outcome = await transactionFor(this.dataSource, actor, async (manager) => {
      const inserted = await this.products.insert(
        {
          domain: input.domain,
          name: input.name,
          description: input.description ?? '',
          owningTeam: input.owningTeam,
          tags: [...new Set(input.tags ?? [])],
          status: input.status ?? 'draft',
        },
        manager,
      );
      if (inserted.kind === 'created')
        await this.audit.append(manager, {
          actor: auditActorOf(actor),
          action: 'data-product.create',
          resource: productResource(inserted.product),
          change: { afterHash: stateHash(inserted.product) },
        });
      return inserted;
    });
    switch (outcome.kind) {
      case 'created':
        return outcome.product;
      case 'no-domain':
        throw notFound(`domain ${input.domain}`);
      case 'duplicate':
        throw conflict(`data product ${input.domain}.${input.name} already exists`);
    }
  }

  async update(actor: Actor, input: UpdateDataProductInput): Promise<DataProductRecord> {
    const problems = new InputProblems()
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, input.owningTeam != null);
    checkTags(problems, input.tags ?? undefined).throwIfAny();
    const current = await this.get(actor, input.product);
    ensureAllowed(actor, 'update', 'DataProduct', { id: current.id, domainId: current.domainId });
    if (input.status && !canTransition(current.status, input.status)) {
      throw invalidInput(`a ${current.status} product cannot become ${input.status}`, [
        {
          path: 'status',
          code: 'INVALID_STATUS_TRANSITION',
          message: `${current.status} -> ${input.status} is not allowed`,
        },
      ]);
    }
    const { product: _ref, tags, ...changes } = withoutNulls(input);
    return transactionFor(this.dataSource, actor, async (manager) => {
      const updated = await this.products.update(
        current.id,
        { ...changes, tags: tags && [...new Set(tags)] },
        manager,
      );
      if (!updated) throw notFound(`data product ${input.product}`);
      await this.audit.append(manager, {
        actor: auditActorOf(actor),
        action: 'data-product.update',
        resource: productResource(updated),
        change: { beforeHash: stateHash(current), afterHash: stateHash(updated) },
      });
      return updated;
    });
  }

  /**
   * `ref` is `domain.product`; a malformed ref cannot exist, so it is NOT_FOUND like any unknown
   * name, and so is a product the actor may not see.
   */
  async get(actor: Actor, ref: string): Promise<DataProductRecord> {
    const parsed = parseProductRef(ref);
    const product = parsed && (await this.products.findByName(parsed.domain, parsed.product));
    if (!product) throw notFound(`data product ${ref}`);
    ensureVisible(
      actor,
      'DataProduct',
      { id: product.id, domainId: product.domainId },
      `data product ${ref}`,
    );
    return product;
  }

  async list(actor: Actor, args: DataProductsArgs): Promise<Page<DataProductRecord>> {
    const size = pageSize(args.first);
    const scope = scopeFilter(actor.ability, 'read', 'DataProduct');
    if (!scope) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    return this.products.list(size, args.after ?? undefined, withoutNulls(args.filter ?? {}), scope);
  }
}
