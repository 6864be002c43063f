import { Injectable } from '@nestjs/common';
import { createValidator, type ValidationResult } from '@charter/sdk';
import { ensureAllowed } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { invalidInput } from '../../common/errors/error-codes';
import { CharterMetrics } from '../../observability/charter-metrics';
import { ContractVersionsService, type VersionSelector } from './contract-versions.service';
import { type PayloadValidationBatchModel } from './models/validation.model';
import { contractSubject, ProductLookup } from './product-lookup';

export const MAX_PAYLOADS_PER_REQUEST = 1000;

const toModel = (result: ValidationResult) => ({ ok: result.ok, issues: [...(result.issues ?? [])] });

/** Judges payloads with the SDK's own validator, so the service and producers can never disagree. */
@Injectable()
export class ValidatePayloadsService {
  constructor(
    private readonly products: ProductLookup,
    private readonly versions: ContractVersionsService,
    private readonly metrics: CharterMetrics,
  ) {}

  async validate(
    actor: Actor,
    productRef: string,
    selector: VersionSelector,
    payloads: readonly unknown[],
  ): Promise<PayloadValidationBatchModel> {
    if (payloads.length === 0 || payloads.length > MAX_PAYLOADS_PER_REQUEST) {
      throw invalidInput(`send 1 to ${MAX_PAYLOADS_PER_REQUEST} payloads per request`, [
        { path: 'payloads', code: 'OUT_OF_RANGE', message: `1 to ${MAX_PAYLOADS_PER_REQUEST} payloads` },
      ]);
    }
    const product = await this.products.require(actor, productRef);
    ensureAllowed(actor, 'validate', 'Contract', contractSubject(product));
    const version = await this.versions.get(actor, productRef, selector);
    const validator = createValidator(version.document, {
      identity: { id: version.product, version: version.version },
    });
    const batch = validator.validateBatch(payloads);
    this.metrics.payloadsValidated(batch.valid, batch.invalid);
    return {
      ok: batch.ok,
      valid: batch.valid,
      invalid: batch.invalid,
      version: version.version,
      results: batch.results.map(toModel),
    };
  }
}
