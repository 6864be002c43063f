import { Injectable } from '@nestjs/common';
import { type Actor } from '../../auth/actor';
import { DomainError } from '../../common/errors/error-codes';
import { ContractVersionsService } from '../contracts/contract-versions.service';
import { type ContractVersionRecord } from '../contracts/contract-versions.repository';
import { ProductLookup } from '../contracts/product-lookup';
import { PublishContractService } from '../contracts/publish-contract.service';
import {
  CONFLUENT_CODES,
  ConfluentError,
  schemaNotFound,
  subjectNotFound,
  versionNotFound,
} from './confluent-error';
import {
  detailCode,
  incompatibleError,
  invalidSchemaOf,
  notFoundAsConfluent,
  type SubjectVersion,
  subjectVersionOf,
} from './confluent-outcomes';
import { schemaOfRequest, type VersionRef } from './confluent-request';
import { contractTextOf, lookupKeyOf } from './confluent-schema';
import { productOfSubject, subjectOfProduct, subjectRefusal } from './confluent-subject';
import { ServedSchemaCache } from './served-schema-cache';

/** Subjects and their versions, mapped onto data products and contract versions. */
@Injectable()
export class ConfluentSubjectsService {
  constructor(
    private readonly publisher: PublishContractService,
    private readonly versions: ContractVersionsService,
    private readonly products: ProductLookup,
    private readonly served: ServedSchemaCache,
  ) {}

  /** The product a subject names, if it exists and the caller may see it; else 40401. */
  async productOf(actor: Actor, subject: string): Promise<string> {
    const mapping = productOfSubject(subject);
    if (!mapping.ok) throw subjectNotFound(subject);
    try {
      await this.products.require(actor, mapping.product);
    } catch (error) {
      throw notFoundAsConfluent(error, () => subjectNotFound(subject));
    }
    return mapping.product;
  }

  /** Publishes the schema as the product's next contract version; the same content keeps its id. */
  async register(actor: Actor, subject: string, body: unknown): Promise<{ id: number }> {
    const mapping = productOfSubject(subject);
    if (!mapping.ok)
      throw new ConfluentError(422, CONFLUENT_CODES.invalidSubject, subjectRefusal(mapping.reason));
    const schema = schemaOfRequest(body);
    const outcome = await this.publisher
      .publish(actor, mapping.product, contractTextOf(schema))
      .catch((error: unknown) => {
        throw notFoundAsConfluent(error, () => subjectNotFound(subject));
      });
    if ('contractVersion' in outcome) return { id: outcome.contractVersion.id };
    if ('issues' in outcome) throw invalidSchemaOf(outcome.issues);
    throw incompatibleError(subject, outcome);
  }

  async version(
    actor: Actor,
    subject: string,
    ref: VersionRef,
    includeDeleted: boolean,
  ): Promise<SubjectVersion> {
    const record = await this.record(actor, subject, ref);
    if (record.deletedAt !== null && !includeDeleted) throw versionNotFound(ref);
    return subjectVersionOf(record, this.served.of(record));
  }

  async record(actor: Actor, subject: string, ref: VersionRef): Promise<ContractVersionRecord> {
    const product = await this.productOf(actor, subject);
    try {
      return await this.versions.get(actor, product, ref);
    } catch (error) {
      throw notFoundAsConfluent(error, () =>
        ref === 'latest' ? subjectNotFound(subject) : versionNotFound(ref),
      );
    }
  }

  /** Version numbers, oldest first; a subject without versions does not exist for Confluent. */
  async versionNumbers(actor: Actor, subject: string, includeDeleted: boolean): Promise<number[]> {
    const records = await this.versions.list(actor, await this.productOf(actor, subject), includeDeleted);
    if (records.length === 0) throw subjectNotFound(subject);
    return records.map((record) => record.version);
  }

  /** The newest version of the subject whose served schema equals the one given. */
  async lookup(
    actor: Actor,
    subject: string,
    body: unknown,
    includeDeleted: boolean,
  ): Promise<SubjectVersion> {
    const key = lookupKeyOf(schemaOfRequest(body));
    const records = await this.versions.list(actor, await this.productOf(actor, subject), includeDeleted);
    if (records.length === 0) throw subjectNotFound(subject);
    const match = records.reverse().find((record) => lookupKeyOf(record.document.schema) === key);
    if (!match) throw schemaNotFound();
    return subjectVersionOf(match, this.served.of(match));
  }

  async subjects(actor: Actor, includeDeleted: boolean, prefix: string | undefined): Promise<string[]> {
    const products = await this.versions.productsWithContracts(actor, includeDeleted);
    return products.map(subjectOfProduct).filter((subject) => !prefix || subject.startsWith(prefix));
  }

  /** Soft delete: the live versions, answered with their numbers. Permanent: the soft-deleted ones. */
  async deleteSubject(actor: Actor, subject: string, permanent: boolean): Promise<number[]> {
    const product = await this.productOf(actor, subject);
    const all = await this.versions.list(actor, product, true);
    if (all.length === 0) throw subjectNotFound(subject);
    const live = all.filter((record) => record.deletedAt === null).map((record) => record.version);
    if (!permanent && live.length === 0)
      throw new ConfluentError(
        404,
        CONFLUENT_CODES.subjectSoftDeleted,
        `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`,
      );
    if (permanent && live.length > 0)
      throw new ConfluentError(
        404,
        CONFLUENT_CODES.subjectNotSoftDeleted,
        `Subject '${subject}' was not deleted first before being permanently deleted`,
      );
    const targets = permanent ? all.map((record) => record.version) : live;
    for (const version of targets) await this.versions.delete(actor, product, version, permanent);
    return targets;
  }

  async deleteVersion(actor: Actor, subject: string, ref: VersionRef, permanent: boolean): Promise<number> {
    const product = await this.productOf(actor, subject);
    const version = ref === 'latest' ? (await this.record(actor, subject, ref)).version : ref;
    try {
      await this.versions.delete(actor, product, version, permanent);
      return version;
    } catch (error) {
      throw deletionError(error, subject, version);
    }
  }
}

function deletionError(error: unknown, subject: string, version: number): unknown {
  if (!(error instanceof DomainError) || error.code !== 'CONFLICT')
    return notFoundAsConfluent(error, () => versionNotFound(version));
  return detailCode(error) === 'ALREADY_DELETED'
    ? new ConfluentError(
        404,
        CONFLUENT_CODES.versionSoftDeleted,
        `Subject '${subject}' Version ${version} was soft deleted.Set permanent=true to delete permanently`,
      )
    : new ConfluentError(
        404,
        CONFLUENT_CODES.versionNotSoftDeleted,
        `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
      );
}
