import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type PrincipalKind } from '../../auth/actor';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';
import { decodeCursor, type Page, toPage } from '../../common/pagination';

export interface PrincipalRecord {
  id: string;
  name: string;
  kind: PrincipalKind;
  displayName: string;
  jwtSubject: string | null;
  createdAt: Date;
}

export interface NewPrincipal {
  name: string;
  kind: PrincipalKind;
  displayName: string;
  jwtSubject: string | null;
}

export type PrincipalInsert = { kind: 'created'; principal: PrincipalRecord } | { kind: 'taken' };

const SELECT = `SELECT id, name, kind, display_name AS "displayName", jwt_subject AS "jwtSubject",
  created_at AS "createdAt" FROM principals`;

@Injectable()
export class PrincipalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** 'taken' when the name or the JWT subject belongs to someone else (the constraints decide). */
  async insert(principal: NewPrincipal, manager?: EntityManager): Promise<PrincipalInsert> {
    const rows: PrincipalRecord[] = await this.manager(manager).query(
      `INSERT INTO principals (name, kind, display_name, jwt_subject) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING
       RETURNING id, name, kind, display_name AS "displayName", jwt_subject AS "jwtSubject", created_at AS "createdAt"`,
      [principal.name, principal.kind, principal.displayName, principal.jwtSubject],
    );
    const created = rows[0];
    return created ? { kind: 'created', principal: created } : { kind: 'taken' };
  }

  async findByName(name: string, manager?: EntityManager): Promise<PrincipalRecord | null> {
    const rows: PrincipalRecord[] = await this.manager(manager).query(`${SELECT} WHERE name = $1`, [name]);
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<PrincipalRecord | null> {
    const rows: PrincipalRecord[] = await this.dataSource.query(`${SELECT} WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(size: number, after: string | undefined, scope: ScopeCondition): Promise<Page<PrincipalRecord>> {
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where = [scopeSql(scope, { id: 'id' }, param)];
    if (after) where.push(`name > ${param(decodeCursor(after, 1)[0])}`);
    const rows: PrincipalRecord[] = await this.dataSource.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY name LIMIT ${param(size + 1)}`,
      params,
    );
    return toPage(rows, size, (p) => [p.name]);
  }

  /** Whether anyone can administer the platform: an admin grant held by a principal with a usable key or a JWT subject. */
  async hasUsableAdmin(manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM role_grants g JOIN principals p ON p.id = g.principal_id
       WHERE g.role = 'admin' AND (p.jwt_subject IS NOT NULL OR EXISTS (
         SELECT 1 FROM api_keys k WHERE k.principal_id = p.id AND k.revoked_at IS NULL
           AND (k.expires_at IS NULL OR k.expires_at > now())))
       LIMIT 1`,
    );
    return rows.length > 0;
  }
}
