import { type CompatibilityMode, type CompatibilityPolicy } from '@charter/sdk';
import { type SettingsRow, type SettingsScope } from './compatibility-settings.repository';

export type SettingsLevel = SettingsScope | 'default';

export interface ResolvedSettings {
  mode: CompatibilityMode;
  policy: CompatibilityPolicy;
  modeFrom: SettingsLevel;
  policyFrom: SettingsLevel;
}

export const DEFAULT_MODE: CompatibilityMode = 'BACKWARD';
export const DEFAULT_POLICY: CompatibilityPolicy = 'STRICT';
const PRECEDENCE: readonly SettingsScope[] = ['product', 'domain', 'global'];

/** Product overrides domain overrides global overrides the default, for mode and policy separately. */
export function resolveSettings(rows: readonly SettingsRow[]): ResolvedSettings {
  const pick = (key: 'mode' | 'policy'): { value: string; from: SettingsLevel } | null => {
    for (const scope of PRECEDENCE) {
      const value = rows.find((row) => row.scope === scope)?.[key];
      if (value) return { value, from: scope };
    }
    return null;
  };
  const mode = pick('mode');
  const policy = pick('policy');
  return {
    mode: (mode?.value ?? DEFAULT_MODE) as CompatibilityMode,
    policy: (policy?.value ?? DEFAULT_POLICY) as CompatibilityPolicy,
    modeFrom: mode?.from ?? 'default',
    policyFrom: policy?.from ?? 'default',
  };
}
