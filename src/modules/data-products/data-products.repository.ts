import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, type Page, toPage } from '../../common/pagination';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';
import { likePattern } from '../../database/sql';
import { type ProductStatus } from './data-product.entity';

/** A product row with its domain's name, which is how clients address it. */
export interface DataProductRecord {
  id: string;
  domainId: string;
  domain: string;
  name: string;
  description: string;
  owningTeam: string;
  tags: string[];
  status: ProductStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewDataProduct {
  domain: string;
  name: string;
  description: string;
  owningTeam: string;
  tags: string[];
  status: ProductStatus;
}

export type DataProductChanges = Partial<
  Pick<NewDataProduct, 'description' | 'owningTeam' | 'tags' | 'status'>
>;

export interface DataProductQuery {
  domain?: string;
  tag?: string;
  status?: ProductStatus;
  text?: string;
  /** Products whose latest live contract declares a field with this name... */
  fieldName?: string;
  /** ...or a field carrying this tag, e.g. pii:email. */
  fieldTag?: string;
}

export type InsertOutcome =
  { kind: 'created'; product: DataProductRecord } | { kind: 'no-domain' } | { kind: 'duplicate' };

const SELECT = `SELECT p.id, p.domain_id AS "domainId", d.name AS domain, p.name, p.description,
  p.owning_team AS "owningTeam", p.tags, p.status, p.created_at AS "createdAt", p.updated_at AS "updatedAt"
  FROM data_products p JOIN domains d ON d.id = p.domain_id`;

const COLUMNS: Record<keyof DataProductChanges, string> = {
  description: 'description',
  owningTeam: 'owning_team',
  tags: 'tags',
  status: 'status',
};

/**
 * The product's latest live contract version declares one field with everything in `field` (a
 * parameter holding `[{"name": ..., "tags": [...]}]`): JSONB containment matches an element of
 * the version's field array, so name and tag must be on the same field.
 */
function latestContractHasField(field: string): string {
  return `EXISTS (SELECT 1 FROM (
      SELECT v.fields FROM contract_versions v WHERE v.product_id = p.id AND v.deleted_at IS NULL
      ORDER BY v.version DESC LIMIT 1
    ) latest WHERE latest.fields @> ${field}::jsonb)`;
}

/** The contained element latestContractHasField looks for, or null when the query names no field. */
function fieldPattern(query: DataProductQuery): string | null {
  if (query.fieldName === undefined && query.fieldTag === undefined) return null;
  return JSON.stringify([
    {
      ...(query.fieldName !== undefined && { name: query.fieldName }),
      ...(query.fieldTag !== undefined && { tags: [query.fieldTag] }),
    },
  ]);
}

@Injectable()
export class DataProductsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async insert(product: NewDataProduct, manager?: EntityManager): Promise<InsertOutcome> {
    const rows = (await this.manager(manager).query<unknown>(
      `INSERT INTO data_products (domain_id, name, description, owning_team, tags, status)
       SELECT d.id, $2, $3, $4, $5, $6 FROM domains d WHERE d.name = $1
       ON CONFLICT (domain_id, name) DO NOTHING RETURNING id`,
      [product.domain, product.name, product.description, product.owningTeam, product.tags, product.status],
    )) as { id: string }[];
    const id = rows[0]?.id;
    if (id !== undefined) {
      const created = await this.findById(id, manager);
      if (created) return { kind: 'created', product: created };
    }
    const domain = (await this.manager(manager).query<unknown>('SELECT 1 FROM domains WHERE name = $1', [
      product.domain,
    ])) as unknown[];
    return domain.length === 0 ? { kind: 'no-domain' } : { kind: 'duplicate' };
  }

  async findById(id: string, manager?: EntityManager): Promise<DataProductRecord | null> {
    const rows = (await this.manager(manager).query<unknown>(`${SELECT} WHERE p.id = $1`, [
      id,
    ])) as DataProductRecord[];
    return rows[0] ?? null;
  }

  async findByName(domain: string, name: string, manager?: EntityManager): Promise<DataProductRecord | null> {
    const rows = (await this.manager(manager).query<unknown>(`${SELECT} WHERE d.name = $1 AND p.name = $2`, [
      domain,
      name,
    ])) as DataProductRecord[];
    return rows[0] ?? null;
  }

  /** Row lock for the write path: concurrent writers to one product queue here. */
  async lockById(id: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT 1 FROM data_products WHERE id = $1 FOR UPDATE', [id]);
  }

  async update(
    id: string,
    changes: DataProductChanges,
    manager?: EntityManager,
  ): Promise<DataProductRecord | null> {
    const keys = (Object.keys(COLUMNS) as (keyof DataProductChanges)[]).filter(
      (key) => changes[key] !== undefined,
    );
    const sets = keys.map((key, i) => `${COLUMNS[key]} = $${i + 2}`);
    await this.manager(manager).query(
      `UPDATE data_products SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...keys.map((key) => changes[key])],
    );
    return this.findById(id, manager);
  }

  /** Only the products inside `scope` (the caller's visibility). */
  async list(
    size: number,
    after: string | undefined,
    query: DataProductQuery,
    scope: ScopeCondition,
  ): Promise<Page<DataProductRecord>> {
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where: string[] = [scopeSql(scope, { id: 'p.id', domainId: 'p.domain_id' }, param)];
    if (after) {
      const [domain, name] = decodeCursor(after, 2);
      where.push(`(d.name, p.name) > (${param(domain)}, ${param(name)})`);
    }
    if (query.domain !== undefined) where.push(`d.name = ${param(query.domain)}`);
    if (query.tag !== undefined) where.push(`${param(query.tag)} = ANY (p.tags)`);
    if (query.status !== undefined) where.push(`p.status = ${param(query.status)}`);
    const field = fieldPattern(query);
    if (field !== null) where.push(latestContractHasField(param(field)));
    if (query.text) {
      const text = param(likePattern(query.text));
      where.push(`(p.name ILIKE ${text} OR p.description ILIKE ${text})`);
    }
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY d.name, p.name LIMIT ${param(size + 1)}`;
    const rows = (await this.dataSource.query<unknown>(sql, params)) as DataProductRecord[];
    return toPage(rows, size, (p) => [p.domain, p.name]);
  }
}
