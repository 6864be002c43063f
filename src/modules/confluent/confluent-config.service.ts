import { Injectable } from '@nestjs/common';
import { type CompatibilityMode } from '@charter/sdk';
import { AccessDeniedError } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { CompatibilitySettingsService } from '../contracts/compatibility-settings.service';
import { CONFLUENT_CODES, ConfluentError } from './confluent-error';
import { levelOfRequest } from './confluent-request';
import { ConfluentSubjectsService } from './confluent-subjects.service';

export interface LevelAnswer {
  compatibilityLevel: CompatibilityMode;
}
export interface LevelUpdate {
  compatibility: CompatibilityMode;
}

const noSubjectLevel = (subject: string): ConfluentError =>
  new ConfluentError(
    404,
    CONFLUENT_CODES.subjectLevelCompatibilityNotConfigured,
    `Subject '${subject}' does not have subject-level compatibility configured`,
  );

/** Compatibility levels: a subject's is its product's own mode; the global one is Charter's global. */
@Injectable()
export class ConfluentConfigService {
  constructor(
    private readonly settings: CompatibilitySettingsService,
    private readonly subjects: ConfluentSubjectsService,
  ) {}

  /** 40408 when the product inherits its mode, unless the caller asks for the effective one. */
  async subjectLevel(actor: Actor, subject: string, defaultToGlobal: boolean): Promise<LevelAnswer> {
    const product = await this.subjects.productOf(actor, subject);
    const resolved = await this.settings.resolve(actor, { product });
    if (resolved.modeFrom !== 'product' && !defaultToGlobal) throw noSubjectLevel(subject);
    return { compatibilityLevel: resolved.mode };
  }

  /**
   * Sets the product's own mode (its owners may). A caller who may not, restating the level that
   * already governs the product, gets the echo and nothing changes: kafkajs sends that PUT after
   * every first registration, and a producer must not fail on it.
   */
  async setSubjectLevel(actor: Actor, subject: string, body: unknown): Promise<LevelUpdate> {
    const level = levelOfRequest(body);
    const product = await this.subjects.productOf(actor, subject);
    try {
      await this.settings.set(actor, { product }, level, null);
    } catch (error) {
      if (!(error instanceof AccessDeniedError && error.answeredAs === 'FORBIDDEN')) throw error;
      if ((await this.settings.resolve(actor, { product })).mode !== level) throw error;
    }
    return { compatibility: level };
  }

  /** Removes the product's own settings (it inherits again) and answers the level it had. */
  async clearSubjectLevel(actor: Actor, subject: string): Promise<LevelAnswer> {
    const before = await this.subjectLevel(actor, subject, false);
    await this.settings.clear(actor, { product: await this.subjects.productOf(actor, subject) });
    return before;
  }

  async globalLevel(actor: Actor): Promise<LevelAnswer> {
    return { compatibilityLevel: (await this.settings.resolve(actor, {})).mode };
  }

  async setGlobalLevel(actor: Actor, body: unknown): Promise<LevelUpdate> {
    const level = levelOfRequest(body);
    await this.settings.set(actor, {}, level, null);
    return { compatibility: level };
  }
}
