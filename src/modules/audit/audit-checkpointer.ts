import { type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkpointHash, loadEd25519PrivateKey, type SignedCheckpoint, signCheckpoint } from '@charter/sdk';
import { DataSource } from 'typeorm';
import { type AppConfig, type AuditConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuditEventsRepository } from './audit-events.repository';

/** Only one checkpoint is signed at a time across instances, so checkpoints form one chain too. */
export const CHECKPOINT_LOCK_KEY = 7_261_504_115;
const POLL_MS = 15_000;
const COMMIT_WAIT_MS = 25;
const COMMIT_WAIT_TRIES = 40;
const FILE_NAME = /^checkpoint-\d{12}\.json$/;
const SEEN_NAME = /^seen-\d{12}\.json$/;
/** Beside the checkpoint files, so the directory's checkpoint-*.json stay the only checkpoints in it. */
const SEEN_DIR = 'verifier-seen';

export function loadSigningKey(config: AuditConfig): KeyObject | null {
  if (config.signingKeyPem !== null) return loadEd25519PrivateKey(config.signingKeyPem);
  if (config.signingKeyFile !== null)
    return loadEd25519PrivateKey(readFileSync(config.signingKeyFile, 'utf8'));
  return null;
}

/**
 * Signs the chain head every N events or M minutes with a key the database never sees, stores the
 * checkpoint in the database and writes it to the configured directory outside it (T-07..T-11).
 */
@Injectable()
export class AuditCheckpointer implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpointer');
  private readonly config: AuditConfig;
  readonly signingKey: KeyObject | null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SignedCheckpoint | null> | null = null;
  private stopping = false;
  private lastSignedSeq = 0;
  /** The seq whose append made a checkpoint due by count. */
  private dueAt = 0;
  private readonly startedAt = Date.now();
  /** The newest checkpoint this instance signed: a verifier that trusts less has been handed a replay. */
  newestSigned: { seq: number; headHash: string } | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: AuditEventsRepository,
  ) {
    this.config = config.audit;
    this.signingKey = loadSigningKey(config.audit);
  }

  onModuleInit(): void {
    if (this.signingKey === null) {
      this.logger.warn('no audit signing key configured: checkpoints are not signed');
      return;
    }
    this.timer = setInterval(() => void this.runQuietly(false), POLL_MS).unref();
  }

  /**
   * Before TypeORM's own shutdown hook: that one releases every connection still in use, which would cut a
   * signing transaction off mid-query. So no new signing starts, and the one under way finishes first.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.runQuietly(false);
  }

  /** Called for every appended event (before its commit): N events on, a checkpoint is due. */
  appended(seq: number): void {
    if (this.signingKey !== null && seq - this.lastSignedSeq >= this.config.checkpointEvery) {
      this.dueAt = Math.max(this.dueAt, seq);
      setImmediate(() => void this.signWhenCommitted(COMMIT_WAIT_TRIES));
    }
  }

  /** The event that made a checkpoint due may not be committed yet: look again shortly until it is. */
  private async signWhenCommitted(tries: number): Promise<void> {
    await this.runQuietly(false);
    if (this.dueAt > this.lastSignedSeq && tries > 1 && !this.stopping)
      setTimeout(() => void this.signWhenCommitted(tries - 1), COMMIT_WAIT_MS).unref();
  }

  /**
   * Signs the committed head now if it moved (or if `due` rules say so); null when nothing was signed.
   * Once shutdown began, only the signing under way is waited for: none starts.
   */
  checkpoint(force = true): Promise<SignedCheckpoint | null> {
    if (this.stopping) return this.running ?? Promise.resolve(null);
    this.running ??= this.sign(force).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The timer's, the count's and shutdown's way in: errors are logged, not thrown. */
  private async runQuietly(force: boolean): Promise<void> {
    try {
      await this.checkpoint(force);
    } catch (error) {
      this.logger.error(`audit checkpoint failed: ${(error as Error).name}`);
    }
  }

  private async sign(force: boolean): Promise<SignedCheckpoint | null> {
    const key = this.signingKey;
    if (key === null) return null;
    const signed = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK_KEY]);
      const last = await this.events.latestCheckpoint(manager);
      const head = await this.events.head(manager);
      const lastSeq = last?.checkpoint.seq ?? 0;
      this.lastSignedSeq = Math.max(this.lastSignedSeq, lastSeq);
      if (head === null || head.seq <= lastSeq) return null;
      // With no checkpoint yet, the minutes count from this instance's start, not from ever.
      const since = last?.createdAt.getTime() ?? this.startedAt;
      const dueByTime = Date.now() - since >= this.config.checkpointMinutes * 60_000;
      if (!force && !dueByTime && head.seq - lastSeq < this.config.checkpointEvery) return null;
      const checkpoint = signCheckpoint(
        {
          seq: head.seq,
          headHash: head.hash,
          time: new Date().toISOString(),
          ...(last !== null && { previous: checkpointHash(last.checkpoint) }),
        },
        key,
      );
      await this.events.insertCheckpoint(manager, checkpoint);
      return checkpoint;
    });
    if (signed === null) return null;
    this.lastSignedSeq = signed.seq;
    this.newestSigned = { seq: signed.seq, headHash: signed.headHash };
    await this.writeOutside(signed);
    await this.rememberSeen(this.newestSigned);
    return signed;
  }

  /**
   * T-11 across restarts: the newest checkpoint signed or accepted here, kept as write-once
   * `verifier-seen/seen-<seq>.json` files in the checkpoint directory (outside the database), so a replayed older
   * checkpoint set is still reported stale after a restart. Without a directory: memory only.
   */
  async rememberSeen(seen: { seq: number; headHash: string }): Promise<void> {
    if (this.config.checkpointDir === null) return;
    const dir = join(this.config.checkpointDir, SEEN_DIR);
    await mkdir(dir, { recursive: true });
    const name = `seen-${String(seen.seq).padStart(12, '0')}.json`;
    const text = `${JSON.stringify({ seq: seen.seq, headHash: seen.headHash })}\n`;
    await writeFile(join(dir, name), text, { flag: 'wx' }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
  }

  /** The newest remembered checkpoint; a marker that cannot be read is skipped (the older ones still count). */
  async rememberedSeen(): Promise<{ seq: number; headHash: string } | undefined> {
    if (this.config.checkpointDir === null) return undefined;
    const dir = join(this.config.checkpointDir, SEEN_DIR);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => SEEN_NAME.test(n)).sort();
    for (const name of names.reverse()) {
      try {
        const seen = JSON.parse(await readFile(join(dir, name), 'utf8')) as {
          seq?: unknown;
          headHash?: unknown;
        };
        if (typeof seen.seq === 'number' && typeof seen.headHash === 'string')
          return { seq: seen.seq, headHash: seen.headHash };
      } catch {
        // unreadable marker: fall back to the next older one
      }
    }
    return undefined;
  }

  private async writeOutside(checkpoint: SignedCheckpoint): Promise<void> {
    const dir = this.config.checkpointDir;
    if (dir === null) return;
    await mkdir(dir, { recursive: true });
    const name = `checkpoint-${String(checkpoint.seq).padStart(12, '0')}.json`;
    await writeFile(join(dir, name), `${JSON.stringify(checkpoint)}\n`, { flag: 'wx' }).catch(
      (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      },
    );
  }

  /** Checkpoints kept outside the database (the configured directory); empty when none is configured. */
  async outsideCheckpoints(): Promise<unknown[]> {
    const dir = this.config.checkpointDir;
    if (dir === null) return [];
    const names = await readdir(dir).catch(() => [] as string[]);
    const found: unknown[] = [];
    for (const name of names.filter((n) => FILE_NAME.test(n)).sort()) {
      const text = await readFile(join(dir, name), 'utf8');
      try {
        found.push(JSON.parse(text));
      } catch {
        found.push({ malformed: name });
      }
    }
    return found;
  }
}
