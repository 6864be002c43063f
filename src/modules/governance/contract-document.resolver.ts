import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { can } from '../../auth/access';
import { CurrentActor } from '../../auth/decorators';
import { JsonScalar } from '../../graphql/scalars';
import { ContractVersionModel } from '../contracts/models/contract-version.model';
import { ProductLookup } from '../contracts/product-lookup';
import { withoutGovernance } from './without-governance';

/**
 * The policy and the `x-charter` classifications of a contract are shown only to those who manage
 * them (governance, owners, admins: `update` on Policy or Contract); everyone else reads the
 * document, and its text, without them. One hook on the type covers every query that returns it.
 */
@Resolver(() => ContractVersionModel)
export class ContractDocumentResolver {
  constructor(private readonly products: ProductLookup) {}

  @ResolveField('document', () => JsonScalar)
  async document(@CurrentActor() actor: Actor, @Parent() version: ContractVersionModel): Promise<unknown> {
    return (await this.seesGovernance(actor, version.product))
      ? version.document
      : withoutGovernance(version.document);
  }

  @ResolveField('text', () => String)
  async text(@CurrentActor() actor: Actor, @Parent() version: ContractVersionModel): Promise<string> {
    if (await this.seesGovernance(actor, version.product)) return version.text;
    // The submitted text carries the policy too: show the stripped document instead.
    return JSON.stringify(withoutGovernance(version.document), null, 2);
  }

  private async seesGovernance(actor: Actor, productRef: string): Promise<boolean> {
    const product = await this.products.require(actor, productRef);
    const scope = { productId: product.id, domainId: product.domainId };
    return can(actor, 'update', 'Policy', scope) || can(actor, 'update', 'Contract', scope);
  }
}
