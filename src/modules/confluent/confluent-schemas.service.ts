import { Injectable } from '@nestjs/common';
import { checkContractChange, type CompatibilityMode, prepareContract } from '@charter/sdk';
import { ensureAllowed } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { CharterMetrics } from '../../observability/charter-metrics';
import { CompatibilitySettingsService } from '../contracts/compatibility-settings.service';
import { toChangeModels } from '../contracts/contract-outcomes';
import { ContractVersionsService } from '../contracts/contract-versions.service';
import { contractSubject, ProductLookup } from '../contracts/product-lookup';
import { PublishContractService } from '../contracts/publish-contract.service';
import { schemaNotFound } from './confluent-error';
import { changeLines, invalidSchemaOf, notFoundAsConfluent } from './confluent-outcomes';
import { schemaOfRequest, type VersionRef } from './confluent-request';
import { contractTextOf, type ServedSchema } from './confluent-schema';
import { withoutCharterAnnotations } from './served-schema';
import { ConfluentSubjectsService } from './confluent-subjects.service';
import { ServedSchemaCache } from './served-schema-cache';

export interface CompatibilityAnswer {
  is_compatible: boolean;
  messages?: string[];
}

/** Against one chosen version the check is pairwise, as Confluent's is. */
const pairwise = (mode: CompatibilityMode): CompatibilityMode =>
  mode.replace('_TRANSITIVE', '') as CompatibilityMode;

/** Schemas by global id, and compatibility tests run by Charter's engine. */
@Injectable()
export class ConfluentSchemasService {
  constructor(
    private readonly versions: ContractVersionsService,
    private readonly publisher: PublishContractService,
    private readonly settings: CompatibilitySettingsService,
    private readonly products: ProductLookup,
    private readonly subjects: ConfluentSubjectsService,
    private readonly served: ServedSchemaCache,
    private readonly metrics: CharterMetrics,
  ) {}

  async byId(actor: Actor, id: number | null): Promise<ServedSchema> {
    if (id === null) throw schemaNotFound();
    try {
      return this.served.of(await this.versions.getById(actor, id));
    } catch (error) {
      throw notFoundAsConfluent(error, () => schemaNotFound(id));
    }
  }

  async rawById(actor: Actor, id: number | null): Promise<unknown> {
    return JSON.parse((await this.byId(actor, id)).schema) as unknown;
  }

  /** The payload schema of one subject version, as served (Charter annotations removed). */
  async rawOfVersion(actor: Actor, subject: string, ref: VersionRef): Promise<unknown> {
    const record = await this.subjects.record(actor, subject, ref);
    return withoutCharterAnnotations(record.document.schema);
  }

  /**
   * `all` and `latest`: Charter's own dry run, exactly what a publish would decide under the
   * product's mode and policy. A numbered version: the kernel's verdict against that version alone.
   */
  async test(
    actor: Actor,
    subject: string,
    ref: VersionRef | 'all',
    body: unknown,
    verbose: boolean,
  ): Promise<CompatibilityAnswer> {
    const product = await this.subjects.productOf(actor, subject);
    const text = contractTextOf(schemaOfRequest(body));
    if (ref !== 'all' && ref !== 'latest')
      return this.againstVersion(actor, subject, product, ref, text, verbose);
    const outcome = await this.publisher.check(actor, product, text);
    if ('issues' in outcome) throw invalidSchemaOf(outcome.issues);
    const compatible = !('verdict' in outcome);
    return answer(compatible, changeLines(outcome.changes), verbose);
  }

  private async againstVersion(
    actor: Actor,
    subject: string,
    product: string,
    version: number,
    text: string,
    verbose: boolean,
  ): Promise<CompatibilityAnswer> {
    ensureAllowed(actor, 'check', 'Contract', contractSubject(await this.products.require(actor, product)));
    const record = await this.subjects.record(actor, subject, version);
    const prepared = prepareContract(text);
    if (!prepared.ok) throw invalidSchemaOf(prepared.issues);
    const settings = await this.settings.resolve(actor, { product });
    const mode = pairwise(settings.mode);
    const report = this.metrics.timeCheck(mode, () =>
      checkContractChange({
        mode,
        policy: settings.policy,
        history: [record.document as never],
        proposed: prepared.contract.document,
      }),
    );
    const changes = toChangeModels(report.changes, [record]);
    return answer(report.verdict === 'compatible', changeLines(changes), verbose);
  }
}

function answer(compatible: boolean, messages: string[], verbose: boolean): CompatibilityAnswer {
  return verbose ? { is_compatible: compatible, messages } : { is_compatible: compatible };
}
