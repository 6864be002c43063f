import { InitialDomainsAndProducts1763780000000 } from './1763780000000-initial-domains-and-products';
import { PrincipalsAndGrants1763790000000 } from './1763790000000-principals-and-grants';
import { ContractRegistry1763785000000 } from './1763785000000-contract-registry';
import { CredentialChangeNotify1763795000000 } from './1763795000000-credential-change-notify';
import { AuditLog1763800000000 } from './1763800000000-audit-log';
import { GovernanceDataKeys1763805000000 } from './1763805000000-governance-data-keys';
import { ChangeEventsAndWebhooks1763810000000 } from './1763810000000-change-events-and-webhooks';
import { AuditCanonicalText1763820000000 } from './1763820000000-audit-canonical-text';
import { ContractFieldsOnVersions1763830000000 } from './1763830000000-contract-fields-on-versions';
import { AuditBody1763840000000 } from './1763840000000-audit-body';

/** Migrations in the order they run; never edit one once merged. */
export const migrations = [
  InitialDomainsAndProducts1763780000000,
  ContractRegistry1763785000000,
  PrincipalsAndGrants1763790000000,
  CredentialChangeNotify1763795000000,
  AuditLog1763800000000,
  GovernanceDataKeys1763805000000,
  ChangeEventsAndWebhooks1763810000000,
  AuditCanonicalText1763820000000,
  ContractFieldsOnVersions1763830000000,
  AuditBody1763840000000,
];
