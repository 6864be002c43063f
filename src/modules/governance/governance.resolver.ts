import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DEFAULT_K } from '@charter/sdk';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { JsonScalar } from '../../graphql/scalars';
import { parseVersionSelector } from '../contracts/contract-versions.service';
import { DataKeysAdmin } from './data-keys-admin.service';
import { ExportPayloadsService } from './export-payloads.service';
import { GovernanceService, MAX_READ_PAYLOADS } from './governance.service';
import {
  ExportPayloadsModel,
  FieldPlanModel,
  ProductVersionArgs,
  ReadPayloadsModel,
} from './governance.models';
import { OnBehalfPlans } from './on-behalf-plans.service';
import { RevealService } from './reveal.service';

@Resolver()
export class GovernanceResolver {
  constructor(
    private readonly governance: GovernanceService,
    private readonly reveals: RevealService,
    private readonly keys: DataKeysAdmin,
    private readonly exports: ExportPayloadsService,
    private readonly onBehalf: OnBehalfPlans,
  ) {}

  @Query(() => ReadPayloadsModel, {
    description: `Payloads as the caller may see them: clear where its grants allow, the policy's operator elsewhere (at most ${MAX_READ_PAYLOADS}). Audited.`,
  })
  @Requires('read', 'ProductData')
  readPayloads(
    @CurrentActor() actor: Actor,
    @Args() args: ProductVersionArgs,
    @Args('payloads', { type: () => [JsonScalar] }) payloads: unknown[],
    @Args('purpose', { type: () => String }) purpose: string,
  ): Promise<ReadPayloadsModel> {
    return this.governance.readPayloads(
      actor,
      args.product,
      parseVersionSelector(args.version),
      payloads,
      purpose,
    );
  }

  @Query(() => ExportPayloadsModel, {
    description: `An export of payloads as the caller may see them (at most ${MAX_READ_PAYLOADS}), released only if every group of records sharing their released quasi-identifier values (fields tagged qi:*) holds at least k records; otherwise INVALID_INPUT with detail K_ANONYMITY_NOT_MET. Audited either way.`,
  })
  @Requires('read', 'ProductData')
  exportPayloads(
    @CurrentActor() actor: Actor,
    @Args() args: ProductVersionArgs,
    @Args('payloads', { type: () => [JsonScalar] }) payloads: unknown[],
    @Args('purpose', { type: () => String }) purpose: string,
    @Args('k', { type: () => Int, defaultValue: DEFAULT_K, description: 'Smallest group size (2..1000).' })
    k: number,
  ): Promise<ExportPayloadsModel> {
    return this.exports.exportPayloads(actor, {
      product: args.product,
      version: parseVersionSelector(args.version),
      payloads,
      purpose,
      k,
    });
  }

  @Query(() => FieldPlanModel, {
    description: 'The caller’s effective field plan, applied locally by the SDK. Audited.',
  })
  @Requires('read', 'ProductData')
  async fieldPlan(
    @CurrentActor() actor: Actor,
    @Args() args: ProductVersionArgs,
    @Args('as', {
      type: () => String,
      nullable: true,
      description:
        'Another principal’s name: only for callers that manage the product’s policy; audited with both identities.',
    })
    as: string | null | undefined,
  ): Promise<FieldPlanModel> {
    const selector = parseVersionSelector(args.version);
    const effective =
      as === null || as === undefined || as === actor.name
        ? await this.governance.fieldPlan(actor, args.product, selector)
        : await this.onBehalf.fieldPlan(actor, as, args.product, selector);
    const { product, version, contentHash, plan, dataKeys, clearFields } = effective;
    return { product, version, contentHash, plan, dataKeys, clearFields };
  }

  @Mutation(() => [JsonScalar], {
    description:
      'Decrypts encrypt/fpe outputs of one field. Policy managers with clear access only; justification required; audited.',
  })
  @Requires('update', 'Policy')
  revealValues(
    @CurrentActor() actor: Actor,
    @Args() args: ProductVersionArgs,
    @Args('field', { type: () => String, description: 'Field path template, e.g. /contacts/*/email' })
    field: string,
    @Args('values', { type: () => [JsonScalar] }) values: unknown[],
    @Args('justification', { type: () => String }) justification: string,
    @Args('fpeKeyVersion', { type: () => Int, nullable: true }) fpeKeyVersion: number | null,
  ): Promise<unknown[]> {
    return this.reveals.reveal(actor, {
      product: args.product,
      version: parseVersionSelector(args.version),
      field,
      values,
      justification,
      ...(fpeKeyVersion !== null && { fpeKeyVersion }),
    });
  }

  @Mutation(() => Int, {
    description: 'Adds a data key version for the product; old versions stay for decryption.',
  })
  @Requires('update', 'Policy')
  rotateDataKey(
    @CurrentActor() actor: Actor,
    @Args('product', { type: () => String }) product: string,
  ): Promise<number> {
    return this.keys.rotate(actor, product);
  }
}
