import { Injectable } from '@nestjs/common';
import { parseProductRef } from '@charter/sdk';
import { conflict, invalidInput, notFound } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type Page, pageSize } from '../../common/pagination';
import { withoutNulls } from '../../common/without-nulls';
import { canTransition, checkTags } from './data-product.rules';
import { type DataProductRecord, DataProductsRepository } from './data-products.repository';
import {
  type CreateDataProductInput,
  type DataProductsArgs,
  type UpdateDataProductInput,
} from './dto/data-product.input';

@Injectable()
export class DataProductsService {
  constructor(private readonly products: DataProductsRepository) {}

  async create(input: CreateDataProductInput): Promise<DataProductRecord> {
    const problems = new InputProblems()
      .name('domain', input.domain)
      .name('name', input.name)
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, true);
    checkTags(problems, input.tags ?? undefined).throwIfAny();
    const outcome = await this.products.insert({
      domain: input.domain,
      name: input.name,
      description: input.description ?? '',
      owningTeam: input.owningTeam,
      tags: [...new Set(input.tags ?? [])],
      status: input.status ?? 'draft',
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

  async update(input: UpdateDataProductInput): Promise<DataProductRecord> {
    const problems = new InputProblems()
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, input.owningTeam != null);
    checkTags(problems, input.tags ?? undefined).throwIfAny();
    const current = await this.get(input.product);
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
    const updated = await this.products.update(current.id, { ...changes, tags: tags && [...new Set(tags)] });
    if (!updated) throw notFound(`data product ${input.product}`);
    return updated;
  }

  /** `ref` is `domain.product`; a malformed ref cannot exist, so it is NOT_FOUND like any unknown name. */
  async get(ref: string): Promise<DataProductRecord> {
    const parsed = parseProductRef(ref);
    const product = parsed && (await this.products.findByName(parsed.domain, parsed.product));
    if (!product) throw notFound(`data product ${ref}`);
    return product;
  }

  list(args: DataProductsArgs): Promise<Page<DataProductRecord>> {
    return this.products.list(pageSize(args.first), args.after ?? undefined, withoutNulls(args.filter ?? {}));
  }
}
