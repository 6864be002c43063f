import { AnonymizationError } from './errors';
import { type FieldDecision, type Treatment } from './policy-types';
import { type ApplyOperator } from './operators/drop';
import { compileEncrypt } from './operators/encrypt';
import { deriveFieldKey, keyScope } from './operators/field-keys';
import { compileFpe, createFpeCipher } from './operators/fpe';
import { compileGeneralize } from './operators/generalize';
import { compileMask } from './operators/mask';
import { compilePseudonymize } from './operators/pseudonymize';
import { compileReplace, nullify, redact, release } from './operators/simple';

/** Key material fetched once, before any record is touched. */
export interface LoadedKeys {
  readonly product: string;
  readonly currentMasterVersion: number;
  readonly masterKeys: ReadonlyMap<number, Uint8Array>;
  readonly dataKey?: { readonly key: Uint8Array; readonly version: number };
}

const passScalar: ApplyOperator = (value) => value;

/** One decision compiled to a function; `released` is used for clear decisions. */
export function compileDecision(
  decision: FieldDecision,
  path: string,
  keys: LoadedKeys,
  whole: boolean,
): ApplyOperator {
  if (decision === 'clear') return whole ? release : passScalar;
  return compileTreatment(decision, path, keys);
}

function compileTreatment(treatment: Treatment, path: string, keys: LoadedKeys): ApplyOperator {
  switch (treatment.operator) {
    case 'redact':
      return redact;
    case 'nullify':
      return nullify;
    case 'replace':
      return compileReplace(treatment);
    case 'keep':
      return release;
    case 'mask':
      return compileMask(treatment, path);
    case 'generalize':
      return compileGeneralize(treatment, path);
    case 'pseudonymize': {
      const version = treatment.keyVersion ?? keys.currentMasterVersion;
      const fieldKey = deriveFieldKey(
        masterKey(keys, version, path),
        keyScope('pseudonymize', keys.product, path, treatment.context),
      );
      return compilePseudonymize(fieldKey, version, treatment.bytes ?? 32, treatment.repseudonymize);
    }
    case 'encrypt': {
      if (keys.dataKey === undefined)
        throw new AnonymizationError('KEY_UNAVAILABLE', 'no data key for encrypt', path);
      return compileEncrypt(keys.dataKey.key, keys.product, path, keys.dataKey.version);
    }
    case 'fpe': {
      const master = masterKey(keys, keys.currentMasterVersion, path);
      const key = deriveFieldKey(master, keyScope('fpe', keys.product, path, treatment.context));
      return compileFpe(createFpeCipher(key, treatment.alphabet, treatment.context ?? path, path), path);
    }
  }
}

function masterKey(keys: LoadedKeys, version: number, path: string): Uint8Array {
  const key = keys.masterKeys.get(version);
  if (key === undefined)
    throw new AnonymizationError('KEY_UNAVAILABLE', `master key version ${version} unavailable`, path);
  return key;
}
