import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, type Page, toPage } from '../../common/pagination';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';
import { likePattern } from '../../database/sql';
import { type DomainContact, DomainEntity } from './domain.entity';

export interface NewDomain {
  name: string;
  description: string;
  owningTeam: string;
  contacts: DomainContact[];
}

export type DomainChanges = Partial<Omit<NewDomain, 'name'>>;

@Injectable()
export class DomainsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(DomainEntity);
  }

  /** Null when the name is taken (the unique constraint decides, not a prior read). */
  async insert(domain: NewDomain, manager?: EntityManager): Promise<DomainEntity | null> {
    const rows = await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .values(domain)
      .orIgnore()
      .returning('*')
      .execute();
    const id = (rows.raw as { id: string }[])[0]?.id;
    return id === undefined ? null : this.repo(manager).findOneByOrFail({ id });
  }

  findByName(name: string, manager?: EntityManager): Promise<DomainEntity | null> {
    return this.repo(manager).findOneBy({ name });
  }

  async update(name: string, changes: DomainChanges, manager?: EntityManager): Promise<DomainEntity | null> {
    const result = await this.repo(manager).update({ name }, changes);
    return result.affected ? this.findByName(name, manager) : null;
  }

  /** Only the domains inside `scope` (the caller's visibility). */
  async list(
    size: number,
    after: string | undefined,
    text: string | undefined,
    scope: ScopeCondition,
  ): Promise<Page<DomainEntity>> {
    const query = this.repo()
      .createQueryBuilder('d')
      .orderBy('d.name', 'ASC')
      .limit(size + 1);
    const bound: Record<string, unknown> = {};
    const param = (value: unknown): string => {
      const key = `scope${Object.keys(bound).length}`;
      bound[key] = value;
      return `:${key}`;
    };
    query.where(scopeSql(scope, { id: 'd.id' }, param), bound);
    if (after) query.andWhere('d.name > :after', { after: decodeCursor(after, 1)[0] });
    if (text)
      query.andWhere('(d.name ILIKE :text OR d.description ILIKE :text)', { text: likePattern(text) });
    return toPage(await query.getMany(), size, (d) => [d.name]);
  }
}
