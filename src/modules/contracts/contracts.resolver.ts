import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
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

const model = (record: ContractVersionRecord): ContractVersionModel => toVersionModel(record);

@Resolver(() => ContractVersionModel)
export class ContractsResolver {
  constructor(
    private readonly publishing: PublishContractService,
    private readonly versions: ContractVersionsService,
  ) {}

  @Mutation(() => PublishContractResult, {
    description:
      'Publishes a new version if valid and compatible; identical content returns the existing version.',
  })
  publishContractVersion(@Args() args: ContractSubmissionArgs): Promise<PublishOutcome> {
    return this.publishing.publish(args.product, args.contract);
  }

  @Query(() => CheckContractResult, {
    description: 'Dry run of publishContractVersion: the same verdict, nothing stored.',
  })
  checkContract(@Args() args: ContractSubmissionArgs): Promise<CheckOutcome> {
    return this.publishing.check(args.product, args.contract);
  }

  @Query(() => ContractVersionModel)
  async contractVersion(@Args() args: ContractVersionArgs): Promise<ContractVersionModel> {
    return model(await this.versions.get(args.product, parseVersionSelector(args.version)));
  }

  @Query(() => ContractVersionModel)
  async contractVersionById(@Args() args: ContractVersionByIdArgs): Promise<ContractVersionModel> {
    return model(await this.versions.getById(args.id, args.product ?? undefined));
  }

  @Query(() => [ContractVersionModel])
  async contractVersions(@Args() args: ContractVersionsArgs): Promise<ContractVersionModel[]> {
    return (await this.versions.list(args.product, args.includeDeleted)).map(model);
  }

  @Query(() => ContractDiffModel)
  diffContractVersions(@Args() args: DiffContractVersionsArgs): Promise<VersionDiff> {
    return this.versions.diff(args.product, args.from, args.to, args.mode ?? undefined);
  }

  @Mutation(() => ContractVersionModel)
  async deprecateContractVersion(
    @Args() args: VersionMutationArgs,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
  ): Promise<ContractVersionModel> {
    return model(await this.versions.deprecate(args.product, args.version, reason));
  }

  @Mutation(() => Boolean, { description: 'Soft delete by default; permanent only after a soft delete.' })
  deleteContractVersion(
    @Args() args: VersionMutationArgs,
    @Args('permanent', { type: () => Boolean, defaultValue: false }) permanent: boolean,
  ): Promise<boolean> {
    return this.versions.delete(args.product, args.version, permanent);
  }
}
