import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Role } from '../../auth/roles';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';

/** A grant with the names clients use; domainId is the effective domain (a product's own, for product grants). */
export interface RoleGrantRecord {
  id: string;
  principalId: string;
  principal: string;
  role: Role;
  domainId: string | null;
  productId: string | null;
  domain: string | null;
  product: string | null;
  clearFields: string[];
  createdAt: Date;
}

export interface NewRoleGrant {
  principalId: string;
  role: Role;
  /** Exactly one of domainId/productId, or neither for a platform-wide grant. */
  domainId: string | null;
  productId: string | null;
  clearFields: string[];
}

export interface RoleGrantFilter {
  principalId?: string;
  domainId?: string;
  productId?: string;
}

const SELECT = `SELECT g.id, g.principal_id AS "principalId", pr.name AS principal, g.role,
  COALESCE(g.domain_id, dp.domain_id) AS "domainId", g.data_product_id AS "productId",
  d.name AS domain, CASE WHEN dp.id IS NULL THEN NULL ELSE d.name || '.' || dp.name END AS product,
  g.clear_fields AS "clearFields", g.created_at AS "createdAt"
  FROM role_grants g JOIN principals pr ON pr.id = g.principal_id
  LEFT JOIN data_products dp ON dp.id = g.data_product_id
  LEFT JOIN domains d ON d.id = COALESCE(g.domain_id, dp.domain_id)`;

const COLUMNS = {
  principalId: 'g.principal_id',
  domainId: 'COALESCE(g.domain_id, dp.domain_id)',
  productId: 'g.data_product_id',
};

@Injectable()
export class RoleGrantsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Null when the same grant already exists. */
  async insert(grant: NewRoleGrant, manager: EntityManager): Promise<RoleGrantRecord | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO role_grants (principal_id, role, domain_id, data_product_id, clear_fields)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
      [
        grant.principalId,
        grant.role,
        grant.productId === null ? grant.domainId : null,
        grant.productId,
        grant.clearFields,
      ],
    );
    const id = rows[0]?.id;
    return id === undefined ? null : this.findById(id, manager);
  }

  async findById(id: string, manager?: EntityManager): Promise<RoleGrantRecord | null> {
    const rows: RoleGrantRecord[] = await (manager ?? this.dataSource.manager).query(
      `${SELECT} WHERE g.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM role_grants WHERE id = $1', [id]);
  }

  async list(filter: RoleGrantFilter, scope: ScopeCondition, limit: number): Promise<RoleGrantRecord[]> {
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where = [scopeSql(scope, COLUMNS, param)];
    for (const key of ['principalId', 'domainId', 'productId'] as const) {
      const value = filter[key];
      if (value !== undefined) where.push(`${COLUMNS[key]} = ${param(value)}`);
    }
    return this.dataSource.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY pr.name, g.role, g.created_at, g.id LIMIT ${param(limit)}`,
      params,
    );
  }
}
