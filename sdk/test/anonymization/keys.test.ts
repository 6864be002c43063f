import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataKey, KeyError, StaticKeyProvider } from '../../src/keys';

const b64 = (byte: number) => Buffer.alloc(32, byte).toString('base64');

async function codeOf(action: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await action();
  } catch (error) {
    return error instanceof KeyError ? error.code : 'NOT_CODED';
  }
  return undefined;
}

describe('StaticKeyProvider', () => {
  it('reads versioned master keys from the environment, current = highest unless set', async () => {
    const provider = StaticKeyProvider.fromEnv({ CHARTER_MASTER_KEYS: `1:${b64(1)}, 2:${b64(2)}` });
    await expect(provider.currentVersion()).resolves.toBe(2);
    expect(Buffer.from(await provider.getMasterKey(1))).toEqual(Buffer.alloc(32, 1));
    const pinned = StaticKeyProvider.fromEnv({
      CHARTER_MASTER_KEYS: `1:${b64(1)},2:${b64(2)}`,
      CHARTER_MASTER_KEY_CURRENT: '1',
    });
    await expect(pinned.currentVersion()).resolves.toBe(1);
    expect(await codeOf(() => provider.getMasterKey(3))).toBe('KEY_VERSION_UNKNOWN');
  });

  it('reads a key file and refuses short keys or a missing current version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ current: 1, keys: { '1': b64(7) } }));
    await expect(StaticKeyProvider.fromKeyFile(file).currentVersion()).resolves.toBe(1);
    writeFileSync(file, JSON.stringify({ keys: { '1': Buffer.alloc(16).toString('base64') } }));
    expect(() => StaticKeyProvider.fromKeyFile(file)).toThrow(KeyError);
    expect(() =>
      StaticKeyProvider.fromEnv({ CHARTER_MASTER_KEYS: `1:${b64(1)}`, CHARTER_MASTER_KEY_CURRENT: '2' }),
    ).toThrow('the current key version is not configured');
    expect(() => StaticKeyProvider.fromEnv({})).toThrow(KeyError);
  });

  it('wraps data keys under the current master key and unwraps old ones after rotation', async () => {
    const before = StaticKeyProvider.fromEnv({ CHARTER_MASTER_KEYS: `1:${b64(1)}` });
    const wrapped = await createDataKey(before, 'crm', 1);
    expect(wrapped).toMatchObject({ product: 'crm', dataKeyVersion: 1, masterKeyVersion: 1 });
    const after = StaticKeyProvider.fromEnv({ CHARTER_MASTER_KEYS: `1:${b64(1)},2:${b64(2)}` });
    const rewrapped = await createDataKey(after, 'crm', 2);
    expect(rewrapped.masterKeyVersion).toBe(2);
    expect(await after.unwrapDataKey(wrapped)).toHaveLength(32);
    expect(await codeOf(() => after.unwrapDataKey({ ...wrapped, product: 'shop' }))).toBe(
      'DATA_KEY_UNWRAP_FAILED',
    );
    expect(await codeOf(() => after.unwrapDataKey({ ...wrapped, dataKeyVersion: 2 }))).toBe(
      'DATA_KEY_UNWRAP_FAILED',
    );
    const retired = StaticKeyProvider.fromEnv({ CHARTER_MASTER_KEYS: `2:${b64(2)}` });
    expect(await codeOf(() => retired.unwrapDataKey(wrapped))).toBe('KEY_VERSION_UNKNOWN');
  });
});
