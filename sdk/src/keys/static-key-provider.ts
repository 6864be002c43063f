import { readFileSync } from 'node:fs';
import { canonicalJson } from '../canonical/canonical-json';
import { openAesGcm, sealAesGcm } from './envelope';
import { type DataKeyBinding, KeyError, type KeyProvider, type WrappedDataKey } from './key-provider';

const MASTER_KEY_BYTES = 32;

/** AAD of a wrapped data key: which product and data-key version it belongs to, under which master key. */
function dataKeyAad(binding: DataKeyBinding, masterKeyVersion: number): Buffer {
  const bound = ['charter-dek-v1', binding.product, binding.dataKeyVersion, masterKeyVersion];
  return Buffer.from(canonicalJson(bound), 'utf8');
}

/**
 * Master keys held in process memory, loaded from the environment or a key file (configuration
 * outside the database). Old versions stay so that old data keys and ciphertexts still open.
 */
export class StaticKeyProvider implements KeyProvider {
  private readonly keys: ReadonlyMap<number, Buffer>;

  constructor(
    keys: ReadonlyMap<number, Uint8Array>,
    private readonly current: number,
  ) {
    for (const [version, key] of keys) {
      if (!Number.isSafeInteger(version) || version < 1)
        throw new KeyError('KEY_CONFIG_INVALID', 'key versions are positive integers');
      if (key.length !== MASTER_KEY_BYTES)
        throw new KeyError('KEY_CONFIG_INVALID', `master key version ${version} must be 32 bytes`);
    }
    if (!keys.has(current))
      throw new KeyError('KEY_CONFIG_INVALID', 'the current key version is not configured');
    this.keys = new Map([...keys].map(([version, key]) => [version, Buffer.from(key)]));
  }

  /**
   * CHARTER_MASTER_KEYS="1:<base64>,2:<base64>" and optionally CHARTER_MASTER_KEY_CURRENT=2
   * (default: the highest version).
   */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): StaticKeyProvider {
    const list = env['CHARTER_MASTER_KEYS'];
    if (list === undefined || list.trim() === '')
      throw new KeyError('KEY_CONFIG_INVALID', 'CHARTER_MASTER_KEYS is not set');
    const keys = new Map<number, Uint8Array>();
    for (const entry of list.split(',')) {
      const [version, material] = entry.trim().split(':');
      keys.set(parseVersion(version), decodeKey(material));
    }
    const current = env['CHARTER_MASTER_KEY_CURRENT'];
    return new StaticKeyProvider(
      keys,
      current === undefined ? Math.max(...keys.keys()) : parseVersion(current),
    );
  }

  /** A JSON key file: { "current": 2, "keys": { "1": "<base64>", "2": "<base64>" } }. */
  static fromKeyFile(path: string): StaticKeyProvider {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new KeyError('KEY_CONFIG_INVALID', 'the key file is unreadable or not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || !('keys' in parsed))
      throw new KeyError('KEY_CONFIG_INVALID', 'the key file needs a "keys" object');
    const { keys: rawKeys, current } = parsed as { keys: unknown; current?: unknown };
    if (typeof rawKeys !== 'object' || rawKeys === null)
      throw new KeyError('KEY_CONFIG_INVALID', 'the key file needs a "keys" object');
    const keys = new Map<number, Uint8Array>();
    for (const [version, material] of Object.entries(rawKeys as Record<string, unknown>))
      keys.set(parseVersion(version), decodeKey(typeof material === 'string' ? material : undefined));
    const chosen =
      current === undefined
        ? Math.max(...keys.keys())
        : parseVersion(
            typeof current === 'number' ? String(current) : typeof current === 'string' ? current : undefined,
          );
    return new StaticKeyProvider(keys, chosen);
  }

  currentVersion(): Promise<number> {
    return Promise.resolve(this.current);
  }

  getMasterKey(version: number): Promise<Uint8Array> {
    const key = this.keys.get(version);
    if (key === undefined)
      return Promise.reject(new KeyError('KEY_VERSION_UNKNOWN', `no master key version ${version}`));
    return Promise.resolve(key);
  }

  async wrapDataKey(dataKey: Uint8Array, binding: DataKeyBinding): Promise<WrappedDataKey> {
    const masterKeyVersion = this.current;
    const master = await this.getMasterKey(masterKeyVersion);
    const sealed = sealAesGcm(master, dataKey, dataKeyAad(binding, masterKeyVersion));
    return { ...binding, masterKeyVersion, wrapped: sealed.toString('base64url') };
  }

  async unwrapDataKey(wrapped: WrappedDataKey): Promise<Uint8Array> {
    const master = await this.getMasterKey(wrapped.masterKeyVersion);
    const opened = openAesGcm(
      master,
      Buffer.from(wrapped.wrapped, 'base64url'),
      dataKeyAad(wrapped, wrapped.masterKeyVersion),
    );
    if (opened === undefined)
      throw new KeyError('DATA_KEY_UNWRAP_FAILED', 'the data key does not authenticate');
    return opened;
  }
}

function parseVersion(text: string | undefined): number {
  const version = Number(text);
  if (text === undefined || !/^[1-9][0-9]*$/.test(text.trim()) || !Number.isSafeInteger(version))
    throw new KeyError('KEY_CONFIG_INVALID', 'key versions are positive integers');
  return version;
}

function decodeKey(material: string | undefined): Uint8Array {
  if (material === undefined || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(material.trim()))
    throw new KeyError('KEY_CONFIG_INVALID', 'master keys are base64');
  return Buffer.from(
    material.trim(),
    material.includes('-') || material.includes('_') ? 'base64url' : 'base64',
  );
}
