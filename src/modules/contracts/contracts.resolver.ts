import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { CurrentActor, RateLimit, Requires } from '../../auth/decorators';
import { type ContractVersionRecord } from './contract-versions.repository';
import { ContractVersionsService, parseVersionSelector, type VersionDiff } from './contract-versions.service';
import { toVersionModel } from './contract-outcomes';
import {
  ContractSubmissionArgs,
  ContractVersionArgs,
  ContractVersionByIdArgs,
  ContractVersionsArgs,
  DiffContractVersionsArgs,
  VersionMutationArgs,
} from './dto/contract.input';
import { ContractDiffModel } from './models/compatibility.model';
import { ContractVersionModel } from './models/contract-version.model';
import {
  CheckContractResult,
  type CheckOutcome,
  PublishContractResult,
  type PublishOutcome,
} from './models/publish-result.model';
import { PublishContractService } from './publish-contract.service';
import { JsonScalar } from '../../graphql/scalars';
import { PayloadValidationBatchModel } from './models/validation.model';
import { MAX_PAYLOADS_PER_REQUEST, ValidatePayloadsService } from './validate-payloads.service';

const model = (record: ContractVersionRecord): ContractVersionModel => toVersionModel(record);

@Resolver(() => ContractVersionModel)
export class ContractsResolver {
  constructor(
    private readonly publishing: PublishContractService,
    private readonly versions: ContractVersionsService,
    private readonly validation: ValidatePayloadsService,
  ) {}

  @Mutation(() => PublishContractResult, {
    description:
      'Publishes a new version if valid and compatible; identical content returns the existing version.',
  })
  @Requires('publish', 'Contract')
  @RateLimit('publish')
  publishContractVersion(
    @CurrentActor() actor: Actor,
    @Args() args: ContractSubmissionArgs,
  ): Promise<PublishOutcome> {
    return this.publishing.publish(actor, args.product, args.contract);
  }

  @Query(() => CheckContractResult, {
    description: 'Dry run of publishContractVersion: the same verdict, nothing stored.',
  })
  @Requires('check', 'Contract')
  @RateLimit('check')
  checkContract(@CurrentActor() actor: Actor, @Args() args: ContractSubmissionArgs): Promise<CheckOutcome> {
    return this.publishing.check(actor, args.product, args.contract);
  }

  @Query(() => ContractVersionModel)
  @Requires('read', 'Contract')
  async contractVersion(
    @CurrentActor() actor: Actor,
    @Args() args: ContractVersionArgs,
  ): Promise<ContractVersionModel> {
    return model(await this.versions.get(actor, args.product, parseVersionSelector(args.version)));
  }

  @Query(() => ContractVersionModel)
  @Requires('read', 'Contract')
  async contractVersionById(
    @CurrentActor() actor: Actor,
    @Args() args: ContractVersionByIdArgs,
  ): Promise<ContractVersionModel> {
    return model(await this.versions.getById(actor, args.id, args.product ?? undefined));
  }

  @Query(() => [ContractVersionModel])
  @Requires('read', 'Contract')
  async contractVersions(
    @CurrentActor() actor: Actor,
    @Args() args: ContractVersionsArgs,
  ): Promise<ContractVersionModel[]> {
    return (await this.versions.list(actor, args.product, args.includeDeleted)).map(model);
  }

  @Query(() => ContractDiffModel)
  @Requires('read', 'Contract')
  diffContractVersions(
    @CurrentActor() actor: Actor,
    @Args() args: DiffContractVersionsArgs,
  ): Promise<VersionDiff> {
    return this.versions.diff(actor, args.product, args.from, args.to, args.mode ?? undefined);
  }

  @Query(() => PayloadValidationBatchModel, {
    description: `Validates payloads against a contract version with the SDK's validator (at most ${MAX_PAYLOADS_PER_REQUEST}).`,
  })
  @Requires('validate', 'Contract')
  @RateLimit('validate')
  validatePayloads(
    @CurrentActor() actor: Actor,
    @Args() args: ContractVersionArgs,
    @Args('payloads', { type: () => [JsonScalar] }) payloads: unknown[],
  ): Promise<PayloadValidationBatchModel> {
    return this.validation.validate(actor, args.product, parseVersionSelector(args.version), payloads);
  }

  @Mutation(() => ContractVersionModel)
  @Requires('update', 'Contract')
  async deprecateContractVersion(
    @CurrentActor() actor: Actor,
    @Args() args: VersionMutationArgs,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null | undefined,
  ): Promise<ContractVersionModel> {
    // An omitted argument arrives as undefined, not null.
    return model(await this.versions.deprecate(actor, args.product, args.version, reason ?? null));
  }

  @Mutation(() => Boolean, { description: 'Soft delete by default; permanent only after a soft delete.' })
  @Requires('delete', 'Contract')
  deleteContractVersion(
    @CurrentActor() actor: Actor,
    @Args() args: VersionMutationArgs,
    @Args('permanent', { type: () => Boolean, defaultValue: false }) permanent: boolean,
  ): Promise<boolean> {
    return this.versions.delete(actor, args.product, args.version, permanent);
  }
}
