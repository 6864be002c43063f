import { Injectable } from '@nestjs/common';
import { type ContractField } from '@charter/sdk';
import { type Pipeline, type PipelinedStatement } from '../../database/pipelined-query';
import { type SettingsRow } from './compatibility-settings.repository';
import { CONTRACT_CHANNEL } from './contract-channel';
import {
  type ContractVersionRecord,
  type NewContractVersion,
  SELECT_VERSIONS,
} from './contract-versions.repository';

/** What a publish reads once it holds the product lock. */
export interface LockedReads {
  /** The product's high-water mark: the last version number ever given, deleted or not. */
  highWater: number;
  /** A live version with the submitted content, committed before the lock was granted. */
  raced: ContractVersionRecord | null;
  /** The newest live version. */
  latest: ContractVersionRecord | null;
  settings: SettingsRow[];
  /**
   * The global id the submitted content has, or a fresh one from the sequence when no content row
   * holds it yet: known before the insert, so everything that names the new version (change
   * events, the audit event) goes in the insert's round trip.
   */
  contentId: number;
}

export interface PublishedRow {
  /** The global id (the content's). */
  id: number;
  document: Record<string, unknown>;
  createdAt: Date;
}

type ReadRow = {
  settings: SettingsRow[];
  content_id: number;
  raced: boolean | null;
} & Partial<ContractVersionRecord>;

/**
 * How the insert fails when the content id read under the lock is stale: another product committed
 * the same content, under an id of its own, after the locked reads. The publish is then run again.
 */
export const STALE_CONTENT_ID_CONSTRAINT = 'contract_versions_content_id_fkey';

/**
 * The write path's statements, pipelined: a publish makes two round trips inside its transaction
 * (it used to make eleven). The locked reads run after the lock in the same pipeline, as statements
 * of their own, so they see every version committed before the lock was granted.
 */
@Injectable()
export class ContractPublishRepository {
  /**
   * Locks the product row, then reads the applicable settings, the version with this content if
   * any, and the latest live version: one round trip.
   */
  async lockAndRead(
    productId: string,
    domainId: string,
    contentHash: string,
    run: Pipeline,
  ): Promise<LockedReads> {
    const [, locked, read] = await run([
      { name: 'charter_publish_generic_plans', text: GENERIC_PLANS, values: [] },
      { name: 'charter_publish_lock_product', text: LOCK_PRODUCT, values: [productId] },
      {
        name: 'charter_publish_locked_reads',
        text: LOCKED_READS,
        values: [productId, domainId, contentHash],
      },
    ]);
    const rows = (read ?? []) as ReadRow[];
    const record = (row: ReadRow | undefined): ContractVersionRecord | null => {
      if (!row) return null;
      const { settings: _settings, content_id: _contentId, raced: _raced, ...version } = row;
      return version as ContractVersionRecord;
    };
    return {
      highWater: (locked?.[0] as { latest_version: number } | undefined)?.latest_version ?? 0,
      raced: record(rows.find((row) => row.raced === true)),
      latest: record(rows.find((row) => row.raced === false)),
      settings: rows[0]?.settings ?? [],
      contentId: Number(rows[0]?.content_id),
    };
  }

  /**
   * The statement that stores a version: its content under the id the locked reads gave (shared by
   * identical documents), the version row with its field index, the product's high-water mark
   * (which also changes the row's stamp, ProductStamps), and the NOTIFY that other instances act on
   * at commit. Runs in the transaction's last round trip; insertedVersionOf reads its result.
   */
  insertStatement(
    version: NewContractVersion,
    content: { contentHash: string; canonical: string },
    fields: ContractField[],
  ): PipelinedStatement {
    return {
      name: 'charter_publish_insert',
      text: INSERT_VERSION,
      values: [
        content.contentHash,
        content.canonical,
        version.productId,
        version.version,
        version.sourceText,
        version.compatibilityMode,
        version.compatibilityPolicy,
        JSON.stringify(fields),
        CONTRACT_CHANNEL,
        version.productId,
        version.contentId,
      ],
    };
  }
}

/** The stored version's row, from the insert statement's result. */
export function insertedVersionOf(result: readonly Record<string, unknown>[] | undefined): PublishedRow {
  const row = result?.[0] as PublishedRow | undefined;
  if (row === undefined) throw new Error('the publish insert returned no row');
  return row;
}

/**
 * For the rest of the publish transaction, the prepared statements' generic plans: their lookups are
 * by key, yet PostgreSQL kept planning them anew at every Bind (the locked reads alone ~0.9 ms).
 */
const GENERIC_PLANS = 'SET LOCAL plan_cache_mode = force_generic_plan';

const LOCK_PRODUCT = 'SELECT latest_version FROM data_products WHERE id = $1 FOR UPDATE';

const LOCKED_READS = `SELECT s.settings, s.content_id, v.* FROM (
         SELECT coalesce(json_agg(json_build_object('scope', scope, 'mode', mode, 'policy', policy)), '[]') AS settings,
           coalesce((SELECT id FROM contract_contents WHERE content_hash = $3), nextval('contract_content_id_seq')) AS content_id
         FROM compatibility_settings
         WHERE (scope = 'product' AND scope_id = $1) OR (scope = 'domain' AND scope_id = $2) OR scope = 'global'
       ) s LEFT JOIN LATERAL (
         SELECT true AS raced, x.* FROM (
           ${SELECT_VERSIONS} WHERE v.product_id = $1 AND c.content_hash = $3 AND v.deleted_at IS NULL LIMIT 1
         ) x
         UNION ALL
         SELECT false AS raced, x.* FROM (
           ${SELECT_VERSIONS} WHERE v.product_id = $1 AND v.deleted_at IS NULL ORDER BY v.version DESC LIMIT 1
         ) x
       ) v ON true`;

/**
 * The content row is inserted unless one holds the hash already: the locked reads' row, whose id
 * $11 then is, or a row another product committed since under an id of its own, which leaves no
 * row with id $11 for the version to reference (STALE_CONTENT_ID_CONSTRAINT).
 */
const INSERT_VERSION = `WITH inserted AS (
    INSERT INTO contract_contents (id, content_hash, canonical, document) VALUES ($11::integer, $1, $2::text, $2::jsonb)
    ON CONFLICT (content_hash) DO NOTHING RETURNING document
  ), content AS (
    SELECT document FROM inserted
    UNION ALL
    SELECT document FROM contract_contents WHERE id = $11::integer AND NOT EXISTS (SELECT 1 FROM inserted)
  ), version AS (
    INSERT INTO contract_versions (product_id, version, content_id, source_text, compatibility_mode, compatibility_policy, fields)
    VALUES ($3::uuid, $4::integer, $11::integer, $5::text, $6::text, $7::text, $8::jsonb)
    RETURNING created_at
  ), product AS (
    UPDATE data_products SET latest_version = $4::integer WHERE id = $3::uuid RETURNING id
  )
  SELECT $11::integer AS id, (SELECT document FROM content) AS document, version.created_at AS "createdAt",
    pg_notify($9, $10) AS notified
  FROM version, product`;
