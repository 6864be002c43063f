import { type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { type RequestContext } from '../common/request-context';
import { bindDeadline } from '../graphql/request-deadline';

/** Whatever carries the request a piece of work runs for: an Actor, an AuditContext. */
export interface InRequest {
  request?: RequestContext;
}

const REQUEST = 'charter.request';

/**
 * Binds a transaction's runner to the request it works for: its queries obey the request's
 * deadline, and the audit events it writes name the request (requestOfTransaction).
 */
export function bindRequest(runner: QueryRunner, request: RequestContext | undefined): void {
  if (request === undefined) return;
  (runner.data as Record<string, unknown>)[REQUEST] = request;
  bindDeadline((runner as unknown as { databaseConnection: unknown }).databaseConnection, request.deadline);
}

/** The request a transaction was opened for, if any (none for the service's own work). */
export function requestOfTransaction(manager: EntityManager): RequestContext | undefined {
  return manager.queryRunner?.data[REQUEST] as RequestContext | undefined;
}

/** TypeORM's transaction(), bound to the request of `scope` (the acting actor, usually). */
export function transactionFor<T>(
  dataSource: DataSource,
  scope: InRequest | null | undefined,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const request = scope?.request;
  if (request === undefined) return dataSource.transaction(work);
  return dataSource.transaction((manager) => {
    if (manager.queryRunner) bindRequest(manager.queryRunner, request);
    return work(manager);
  });
}
