import { Injectable } from '@nestjs/common';
import { type ContractVersionRecord } from '../contracts/contract-versions.repository';
import { type ServedSchema, servedSchemaOf } from './confluent-schema';

const MAX_ENTRIES = 10_000;

/**
 * The Confluent form of each global id, computed once: an id names one immutable content, so its
 * served form never changes and needs no invalidation. Visibility is still checked per request.
 */
@Injectable()
export class ServedSchemaCache {
  private readonly byId = new Map<number, ServedSchema>();

  of(record: Pick<ContractVersionRecord, 'id' | 'document'>): ServedSchema {
    const cached = this.byId.get(record.id);
    if (cached) return cached;
    const served = servedSchemaOf(record.document);
    if (this.byId.size >= MAX_ENTRIES) this.byId.clear();
    this.byId.set(record.id, served);
    return served;
  }
}
