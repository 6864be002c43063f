import { Injectable } from '@nestjs/common';
import { CharterMetrics } from '../../observability/charter-metrics';
import { type ContractVersionRecord } from '../contracts/contract-versions.repository';
import { type ServedSchema, servedSchemaOf } from './confluent-schema';

const MAX_ENTRIES = 10_000;

/**
 * The document with its keys in the order the producer wrote them (the stored JSONB reorders
 * keys): Confluent serves a schema as it was registered. The text passed the strict parser when
 * it was published, so it parses; the same content either way.
 */
function asSubmitted(
  record: Pick<ContractVersionRecord, 'document' | 'sourceText'>,
): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(record.sourceText);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : record.document;
  } catch {
    return record.document;
  }
}

/**
 * The Confluent form of each global id, computed once: an id names one immutable content, so its
 * served form never changes and needs no invalidation. Visibility is still checked per request.
 */
@Injectable()
export class ServedSchemaCache {
  private readonly byId = new Map<number, ServedSchema>();
  hits = 0;
  misses = 0;

  constructor(metrics: CharterMetrics) {
    metrics.watchCache('served_schema', this);
  }

  of(record: Pick<ContractVersionRecord, 'id' | 'document' | 'sourceText'>): ServedSchema {
    const cached = this.byId.get(record.id);
    if (cached) {
      this.hits += 1;
      return cached;
    }
    this.misses += 1;
    const served = servedSchemaOf(asSubmitted(record));
    if (this.byId.size >= MAX_ENTRIES) this.byId.clear();
    this.byId.set(record.id, served);
    return served;
  }
}
