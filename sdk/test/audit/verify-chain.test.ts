import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  type AuditEvent,
  type ChainVerification,
  chainEvent,
  GENESIS_HASH,
  hashEvent,
  type SignedCheckpoint,
  signCheckpoint,
  type StoredAuditRecord,
  verifyChain,
  verifyStoredChain,
  walkStoredChain,
} from '../../src/audit';
import { canonicalEventText, hashCanonicalEvent } from '../../src/audit/hash-chain';
import { buildChain, checkpointsFor, eventBody, rechainFrom, signerKeys } from './chain-fixtures';

const { privateKey, publicKey } = signerKeys();
const publicKeys = [publicKey];

const failureOf = (result: ChainVerification) => (result.ok ? 'intact' : `${result.code} at ${result.seq}`);

describe('hashEvent', () => {
  it('matches an independently computed vector (domain prefix, genesis, RFC 8785 body)', () => {
    const event = {
      seq: 1,
      eventId: 'e-1',
      time: '2026-01-01T00:00:00.000Z',
      actor: { principalId: 'u-1', authMethod: 'oidc', roles: ['governance'] },
      action: 'policy.update',
      resource: { type: 'contract', product: 'crm' },
      outcome: 'success',
      request: { requestId: 'r-1' },
    } as const;
    // Python: sha256(b"charter-audit-v1\n\x00" + bytes(32) + json.dumps(event, sort_keys=True, separators=(",", ":")))
    expect(hashEvent(GENESIS_HASH, event)).toBe(
      'e6fe103e1ea75d2ef3d9b9f19879b50252bd20dd2fbed5ec1795f59eb8bfffc4',
    );
    const chained = chainEvent(GENESIS_HASH, event);
    expect(hashEvent(GENESIS_HASH, chained)).toBe(chained.hash);
  });
});

describe('hashCanonicalEvent', () => {
  const reference = (prevHash: string, canonical: string | Uint8Array): string => {
    const hash = createHash('sha256')
      .update(Buffer.from('charter-audit-v1\n\x00', 'latin1'))
      .update(prevHash, 'hex');
    return (typeof canonical === 'string' ? hash.update(canonical, 'utf8') : hash.update(canonical)).digest(
      'hex',
    );
  };

  // the digest, or the error the reference throws (an odd-length hex string)
  const outcomeOf = (run: () => string): { digest: string } | { error: string } => {
    try {
      return { digest: run() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('gives the reference digest for texts and bytes, after longer events, and for malformed previous hashes', () => {
    const long = `{"note":"${'é'.repeat(40_000)}"}`;
    const short = '{"a":"ü"}';
    const previous = ['ab'.repeat(32), GENESIS_HASH, 'ab'.repeat(33), 'abc', 'zz'.repeat(32), ''];
    for (const prevHash of previous)
      for (const canonical of [long, short, Buffer.from(long, 'utf8'), Buffer.from(short, 'utf8')])
        expect(outcomeOf(() => hashCanonicalEvent(prevHash, canonical))).toEqual(
          outcomeOf(() => reference(prevHash, canonical)),
        );
  });
});

describe('verifyChain: tamper tests (RELIABILITY §3.5)', () => {
  const events = buildChain(50);
  const checkpoints = checkpointsFor(events, 10, privateKey);

  it('T-01: reports an intact chain anchored to the last checkpoint', async () => {
    const result = await verifyChain(events, { publicKeys, checkpoints });
    expect(result).toEqual({
      ok: true,
      eventsVerified: 50,
      head: { seq: 50, hash: events[49]?.hash },
      anchoredThrough: 50,
      unanchoredEvents: 0,
    });
    const partial = await verifyChain(buildChain(55), { publicKeys, checkpoints });
    expect(partial).toMatchObject({ ok: true, anchoredThrough: 50, unanchoredEvents: 5 });
  });

  it('T-05: an edited field of event k is a hash mismatch at k', async () => {
    const tampered = events.map((event) =>
      event.seq === 17 ? { ...event, outcome: 'denied' as const } : event,
    );
    expect(failureOf(await verifyChain(tampered, { publicKeys, checkpoints }))).toBe('HASH_MISMATCH at 17');
  });

  it('T-06: a deleted middle event is a gap at its seq', async () => {
    const tampered = events.filter((event) => event.seq !== 23);
    const result = await verifyChain(tampered, { publicKeys, checkpoints });
    expect(failureOf(result)).toBe('SEQUENCE_GAP at 23');
  });

  it('T-07: a truncated tail is invisible without a checkpoint and detected with one', async () => {
    const truncated = events.slice(0, 46);
    expect((await verifyChain(truncated, { publicKeys })).ok).toBe(true);
    expect(failureOf(await verifyChain(truncated, { publicKeys, checkpoints }))).toBe('TAIL_TRUNCATED at 47');
    expect(failureOf(await verifyChain([], { publicKeys, checkpoints }))).toBe('TAIL_TRUNCATED at 1');
  });

  it('T-08: rewriting event k and recomputing every later hash fails at the next checkpoint', async () => {
    const edited = events.map((event) => (event.seq === 12 ? { ...event, reason: 'rewritten' } : event));
    const rewritten = rechainFrom(edited, 11);
    expect((await verifyChain(rewritten, { publicKeys })).ok).toBe(true);
    expect(failureOf(await verifyChain(rewritten, { publicKeys, checkpoints }))).toBe(
      'CHECKPOINT_MISMATCH at 20',
    );
  });

  it('T-09: an inserted event is detected, with or without renumbering', async () => {
    const forged = { ...eventBody(31), eventId: 'forged', reason: 'forged grant' };
    const withForgery = [...events.slice(0, 30), chainEvent(events[29]!.hash, forged), ...events.slice(30)];
    expect(failureOf(await verifyChain(withForgery, { publicKeys, checkpoints }))).toBe(
      'SEQUENCE_OUT_OF_ORDER at 31',
    );
    const renumbered = rechainFrom(withForgery, 30);
    expect(failureOf(await verifyChain(renumbered, { publicKeys, checkpoints }))).toBe(
      'CHECKPOINT_MISMATCH at 40',
    );
  });

  it('T-10: reordered events are detected at the first displaced seq', async () => {
    const swappedLines = [...events];
    [swappedLines[32], swappedLines[33]] = [swappedLines[33]!, swappedLines[32]!];
    expect(failureOf(await verifyChain(swappedLines, { publicKeys, checkpoints }))).toBe(
      'SEQUENCE_GAP at 33',
    );
    const swappedSeq = events.map((event) =>
      event.seq === 33 ? { ...events[33]!, seq: 33 } : event.seq === 34 ? { ...events[32]!, seq: 34 } : event,
    );
    expect(failureOf(await verifyChain(swappedSeq, { publicKeys, checkpoints }))).toBe('LINK_BROKEN at 33');
  });

  it('T-11: an old checkpoint set replayed as current is stale; with a truncated tail it is truncation', async () => {
    const lastSeenCheckpoint = { seq: 50, headHash: events[49]!.hash };
    const replayed = checkpoints.slice(0, 3);
    expect(
      failureOf(await verifyChain(events, { publicKeys, checkpoints: replayed, lastSeenCheckpoint })),
    ).toBe('CHECKPOINT_STALE at 50');
    expect(
      failureOf(
        await verifyChain(events.slice(0, 30), { publicKeys, checkpoints: replayed, lastSeenCheckpoint }),
      ),
    ).toBe('TAIL_TRUNCATED at 31');
    expect((await verifyChain(events, { publicKeys, checkpoints, lastSeenCheckpoint })).ok).toBe(true);
  });

  it('T-12: a forged checkpoint signature, a wrong public key and a broken checkpoint chain fail closed', async () => {
    const forged: SignedCheckpoint[] = checkpoints.map((checkpoint) =>
      checkpoint.seq === 30
        ? { ...checkpoint, signature: Buffer.alloc(64, 7).toString('base64url') }
        : checkpoint,
    );
    expect(failureOf(await verifyChain(events, { publicKeys, checkpoints: forged }))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID at 30',
    );
    const moved = checkpoints.map((checkpoint) =>
      checkpoint.seq === 20 ? { ...checkpoint, headHash: events[18]!.hash } : checkpoint,
    );
    expect(failureOf(await verifyChain(events, { publicKeys, checkpoints: moved }))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID at 20',
    );
    const stranger = generateKeyPairSync('ed25519');
    expect(failureOf(await verifyChain(events, { publicKeys: [stranger.publicKey], checkpoints }))).toBe(
      'CHECKPOINT_KEY_UNKNOWN at 10',
    );
    // An attacker's key claiming the trusted key id.
    const impostor = signCheckpoint(
      { seq: 40, headHash: events[39]!.hash, time: events[39]!.time },
      stranger.privateKey,
    );
    const claimed = checkpoints.map((checkpoint) =>
      checkpoint.seq === 40 ? { ...impostor, keyId: checkpoint.keyId } : checkpoint,
    );
    expect(failureOf(await verifyChain(events, { publicKeys, checkpoints: claimed }))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID at 40',
    );
    const unlinked = checkpoints.map((checkpoint) =>
      checkpoint.seq === 30
        ? signCheckpoint(
            { seq: 30, headHash: events[29]!.hash, time: events[29]!.time, previous: 'f'.repeat(64) },
            privateKey,
          )
        : checkpoint,
    );
    expect(failureOf(await verifyChain(events, { publicKeys, checkpoints: unlinked }))).toBe(
      'CHECKPOINT_CHAIN_BROKEN at 30',
    );
  });

  it('T-12: malformed, oversized and type-confused events fail closed with a reason', async () => {
    const cases: [unknown[], string][] = [
      [[null], 'EVENT_MALFORMED at 1'],
      [[{ ...events[0], seq: '1' }], 'EVENT_MALFORMED at 1'],
      [[events[0], { ...events[1], hash: 'zz' }], 'EVENT_MALFORMED at 2'],
      [
        [events[0], { ...events[1], actor: { principalId: 'x', authMethod: 'oidc', roles: [1] } }],
        'EVENT_MALFORMED at 2',
      ],
      [[{ ...events[0], reason: 'x'.repeat(300_000) }], 'EVENT_TOO_LARGE at 1'],
    ];
    for (const [input, expected] of cases)
      expect(failureOf(await verifyChain(input, { publicKeys }))).toBe(expected);
    const badCheckpoint = [{ seq: 10, headHash: 'nope' }];
    expect(failureOf(await verifyChain(events, { publicKeys, checkpoints: badCheckpoint }))).toBe(
      'CHECKPOINT_MALFORMED at 10',
    );
  });

  it('walks an async stream of events one at a time', async () => {
    let produced = 0;
    async function* stream(): AsyncGenerator<AuditEvent> {
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 5000; seq += 1) {
        const event = chainEvent(prev, eventBody(seq));
        prev = event.hash;
        produced += 1;
        // A real export arrives in chunks: yield to the event loop between events.
        await Promise.resolve();
        yield event;
      }
    }
    const result = await verifyChain(stream(), { publicKeys });
    expect(result).toMatchObject({ ok: true, eventsVerified: 5000, unanchoredEvents: 5000 });
    expect(produced).toBe(5000);
  });
});

describe('verifyStoredChain: records with their stored text, as a string or as UTF-8 bytes', () => {
  const events = buildChain(50);
  const checkpoints = checkpointsFor(events, 10, privateKey);
  const asText = (event: AuditEvent): StoredAuditRecord => ({
    seq: event.seq,
    prevHash: event.prevHash,
    hash: event.hash,
    canonical: canonicalEventText(event),
    columnsAgree: true,
  });
  const asBytes = (event: AuditEvent): StoredAuditRecord => ({
    ...asText(event),
    canonical: Buffer.from(canonicalEventText(event), 'utf8'),
  });

  /** The same tampering seen through both forms of record, and through verifyChain on the events. */
  async function failuresOf(
    change: (records: StoredAuditRecord[]) => StoredAuditRecord[],
    options: { checkpoints?: unknown[]; maxEventBytes?: number } = {},
  ): Promise<string[]> {
    const results = [];
    for (const form of [asText, asBytes])
      results.push(failureOf(await verifyStoredChain(change(events.map(form)), { publicKeys, ...options })));
    return results;
  }
  const at =
    (seq: number, edit: (record: StoredAuditRecord) => StoredAuditRecord) => (records: StoredAuditRecord[]) =>
      records.map((record) => (record.seq === seq ? edit(record) : record));

  it('verifies an intact chain like verifyChain, anchored to the last checkpoint', async () => {
    const expected = await verifyChain(events, { publicKeys, checkpoints });
    for (const form of [asText, asBytes])
      expect(await verifyStoredChain(events.map(form), { publicKeys, checkpoints })).toEqual(expected);
    const withOlder = [...events.slice(0, 20), ...events.slice(20).map(asBytes)];
    expect(await verifyStoredChain(withOlder, { publicKeys, checkpoints })).toEqual(expected);
  });

  it('reports the first failure with the code verifyChain gives, in both forms', async () => {
    const edited = (record: StoredAuditRecord): StoredAuditRecord => {
      const text = (
        typeof record.canonical === 'string' ? record.canonical : Buffer.from(record.canonical).toString()
      ).replace('"success"', '"denied"');
      return { ...record, canonical: typeof record.canonical === 'string' ? text : Buffer.from(text) };
    };
    const cases: [(records: StoredAuditRecord[]) => StoredAuditRecord[], string][] = [
      [at(17, edited), 'HASH_MISMATCH at 17'],
      [at(17, (record) => ({ ...record, columnsAgree: false })), 'HASH_MISMATCH at 17'],
      [(records) => records.filter((record) => record.seq !== 23), 'SEQUENCE_GAP at 23'],
      [at(33, (record) => ({ ...record, prevHash: events[30]!.hash })), 'LINK_BROKEN at 33'],
      [at(12, (record) => ({ ...record, hash: 'zz' })), 'EVENT_MALFORMED at 12'],
      // malformed before out of order: the format is checked first
      [at(12, (record) => ({ ...record, seq: 40, hash: 'zz' })), 'EVENT_MALFORMED at 12'],
      [at(12, (record) => ({ ...record, seq: 40 })), 'SEQUENCE_GAP at 12'],
      [at(12, (record) => ({ ...record, seq: 11 })), 'SEQUENCE_OUT_OF_ORDER at 11'],
      [at(12, (record) => ({ ...record, seq: Number.NaN })), 'EVENT_MALFORMED at 12'],
      [
        at(12, (record) => ({ ...record, prevHash: 'not hex', columnsAgree: false })),
        'EVENT_MALFORMED at 12',
      ],
    ];
    for (const [change, expected] of cases) expect(await failuresOf(change)).toEqual([expected, expected]);
    const rewritten = rechainFrom(
      events.map((event) => (event.seq === 12 ? { ...event, reason: 'rewritten' } : event)),
      11,
    );
    for (const form of [asText, asBytes])
      expect(failureOf(await verifyStoredChain(rewritten.map(form), { publicKeys, checkpoints }))).toBe(
        'CHECKPOINT_MISMATCH at 20',
      );
  });

  it('walkStoredChain: records pushed from one reused buffer, stopping at the first failure', async () => {
    const shared = Buffer.alloc(64 * 1024);
    const pushAll = (records: StoredAuditRecord[]) => {
      const walk = walkStoredChain({ publicKeys, checkpoints });
      let pushed = 0;
      for (const record of records) {
        const length = shared.write(record.canonical as string, 'utf8');
        pushed += 1;
        if (!walk.push({ ...record, canonical: shared.subarray(0, length) })) break;
        shared.fill(0); // the view is reused for the next row: nothing of it may be kept
      }
      return { result: walk.end(), pushed };
    };
    const intact = pushAll(events.map(asText));
    expect(intact).toEqual({ result: await verifyChain(events, { publicKeys, checkpoints }), pushed: 50 });
    const gap = pushAll(events.map(asText).filter((record) => record.seq !== 23));
    expect({ failure: failureOf(gap.result), pushed: gap.pushed }).toEqual({
      failure: 'SEQUENCE_GAP at 23',
      pushed: 23,
    });
    const badCheckpoint = walkStoredChain({ publicKeys, checkpoints: [{ seq: 10, headHash: 'nope' }] });
    const accepted = events.slice(0, 12).map((event) => badCheckpoint.push(asText(event)));
    expect(accepted).toEqual([...Array<boolean>(9).fill(true), false, false, false]);
    expect(failureOf(badCheckpoint.end())).toBe('CHECKPOINT_MALFORMED at 10');
  });

  it('measures a byte record as its bytes and a text as its UTF-8 size', async () => {
    const size = Buffer.byteLength(canonicalEventText(events[0]!), 'utf8');
    expect(await failuresOf((records) => records, { maxEventBytes: size - 1 })).toEqual([
      'EVENT_TOO_LARGE at 1',
      'EVENT_TOO_LARGE at 1',
    ]);
    expect(await failuresOf((records) => records.slice(0, 1), { maxEventBytes: size })).toEqual([
      'intact',
      'intact',
    ]);
  });
});
