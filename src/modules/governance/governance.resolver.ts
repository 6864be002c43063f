import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { forbidden } from '../../auth/access';
import { CurrentActor, Requires } from '../../auth/decorators';
import { JsonScalar } from '../../graphql/scalars';
import { parseVersionSelector } from '../contracts/contract-versions.service';
import { DataKeysAdmin } from './data-keys-admin.service';
import { GovernanceService, MAX_READ_PAYLOADS } from './governance.service';
import { FieldPlanModel, ProductVersionArgs, ReadPayloadsModel } from './governance.models';
import { RevealService } from './reveal.service';

@Resolver()
export class GovernanceResolver {
  constructor(
    private readonly governance: GovernanceService,
    private readonly reveals: RevealService,
    private readonly keys: DataKeysAdmin,
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

  @Query(() => FieldPlanModel, {
    description: 'The caller’s effective field plan, applied locally by the SDK. Audited.',
  })
  @Requires('read', 'ProductData')
  async fieldPlan(
    @CurrentActor() actor: Actor,
    @Args() args: ProductVersionArgs,
    @Args('as', { type: () => String, nullable: true, description: 'Must name the caller itself.' })
    as: string | null | undefined,
  ): Promise<FieldPlanModel> {
    // A plan is personal: nobody obtains another principal's clear access by naming it.
    if (as !== null && as !== undefined && as !== actor.name) throw forbidden('read', 'ProductData');
    const effective = await this.governance.fieldPlan(
      actor,
      args.product,
      parseVersionSelector(args.version),
    );
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
