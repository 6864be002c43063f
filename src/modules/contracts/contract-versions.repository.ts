import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';

export type VersionState = 'active' | 'deprecated';

/** One version row with its content, as the API shows it. */
export interface ContractVersionRecord {
  id: number;
  productId: string;
  domainId: string;
  product: string;
  version: number;
  contentHash: string;
  document: Record<string, unknown>;
  sourceText: string;
  state: VersionState;
  deprecationReason: string | null;
  deletedAt: Date | null;
  compatibilityMode: string;
  compatibilityPolicy: string;
  createdAt: Date;
}

export interface NewContractVersion {
  productId: string;
  version: number;
  contentId: number;
  sourceText: string;
  compatibilityMode: string;
  compatibilityPolicy: string;
}

const SELECT = `SELECT c.id, v.product_id AS "productId", p.domain_id AS "domainId", d.name || '.' || p.name AS product, v.version,
  c.content_hash AS "contentHash", c.document, v.source_text AS "sourceText", v.state,
  v.deprecation_reason AS "deprecationReason", v.deleted_at AS "deletedAt",
  v.compatibility_mode AS "compatibilityMode", v.compatibility_policy AS "compatibilityPolicy", v.created_at AS "createdAt"
  FROM contract_versions v
  JOIN contract_contents c ON c.id = v.content_id
  JOIN data_products p ON p.id = v.product_id
  JOIN domains d ON d.id = p.domain_id`;

/** Version records (`v` versions, `c` contents): append a WHERE. */
export const SELECT_VERSIONS = SELECT;

@Injectable()
export class ContractVersionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private async rows(
    sql: string,
    params: unknown[],
    manager?: EntityManager,
  ): Promise<ContractVersionRecord[]> {
    return (manager ?? this.dataSource.manager).query<ContractVersionRecord[]>(sql, params);
  }

  async findLiveByContent(
    productId: string,
    contentHash: string,
    manager?: EntityManager,
  ): Promise<ContractVersionRecord | null> {
    const rows = await this.rows(
      `${SELECT} WHERE v.product_id = $1 AND c.content_hash = $2 AND v.deleted_at IS NULL`,
      [productId, contentHash],
      manager,
    );
    return rows[0] ?? null;
  }

  async find(
    productId: string,
    version: number,
    manager?: EntityManager,
  ): Promise<ContractVersionRecord | null> {
    const rows = await this.rows(
      `${SELECT} WHERE v.product_id = $1 AND v.version = $2`,
      [productId, version],
      manager,
    );
    return rows[0] ?? null;
  }

  async findLatestLive(productId: string, manager?: EntityManager): Promise<ContractVersionRecord | null> {
    const rows = await this.rows(
      `${SELECT} WHERE v.product_id = $1 AND v.deleted_at IS NULL ORDER BY v.version DESC LIMIT 1`,
      [productId],
      manager,
    );
    return rows[0] ?? null;
  }

  /** The version holding this global id: in the given product, else the first that registered it. */
  async findById(id: number, productId?: string): Promise<ContractVersionRecord | null> {
    const rows = productId
      ? await this.rows(`${SELECT} WHERE c.id = $1 AND v.product_id = $2 ORDER BY v.version LIMIT 1`, [
          id,
          productId,
        ])
      : await this.rows(`${SELECT} WHERE c.id = $1 ORDER BY v.created_at, v.version LIMIT 1`, [id]);
    return rows[0] ?? null;
  }

  list(productId: string, includeDeleted: boolean): Promise<ContractVersionRecord[]> {
    const filter = includeDeleted ? '' : 'AND v.deleted_at IS NULL';
    return this.rows(`${SELECT} WHERE v.product_id = $1 ${filter} ORDER BY v.version`, [productId]);
  }

  /** `domain.product` of every product in `scope` holding a (live, unless asked) version, sorted. */
  async productsWithVersions(scope: ScopeCondition, includeDeleted: boolean): Promise<string[]> {
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where = scopeSql(scope, { productId: 'p.id', domainId: 'p.domain_id' }, param);
    const live = includeDeleted ? '' : 'AND v.deleted_at IS NULL';
    const rows = await this.dataSource.query<{ product: string }[]>(
      `SELECT DISTINCT d.name || '.' || p.name AS product FROM contract_versions v
       JOIN data_products p ON p.id = v.product_id JOIN domains d ON d.id = p.domain_id
       WHERE ${where} ${live} ORDER BY product`,
      params,
    );
    return rows.map((row) => row.product);
  }

  /** Live versions, oldest first: what compatibility is checked against. */
  liveHistory(productId: string, manager: EntityManager): Promise<ContractVersionRecord[]> {
    return this.rows(
      `${SELECT} WHERE v.product_id = $1 AND v.deleted_at IS NULL ORDER BY v.version`,
      [productId],
      manager,
    );
  }

  async setState(
    productId: string,
    version: number,
    state: VersionState,
    reason: string | null,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager.query<[unknown[], number]>(
      'UPDATE contract_versions SET state = $3, deprecation_reason = $4 WHERE product_id = $1 AND version = $2 AND deleted_at IS NULL',
      [productId, version, state, reason],
    );
    return result[1] > 0;
  }

  async softDelete(productId: string, version: number, manager: EntityManager): Promise<boolean> {
    const result = await manager.query<[unknown[], number]>(
      'UPDATE contract_versions SET deleted_at = now() WHERE product_id = $1 AND version = $2 AND deleted_at IS NULL',
      [productId, version],
    );
    return result[1] > 0;
  }

  async hardDelete(productId: string, version: number, manager: EntityManager): Promise<boolean> {
    const result = await manager.query<[unknown[], number]>(
      'DELETE FROM contract_versions WHERE product_id = $1 AND version = $2 AND deleted_at IS NOT NULL',
      [productId, version],
    );
    return result[1] > 0;
  }
}
