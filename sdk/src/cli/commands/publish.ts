/** charter publish <product> <contract-file>: a new version when valid and compatible. */
import { createCharterClient } from '../../client';
import { parseProductRef } from '../../naming';
import { fromRegistry, invalidContractOutcome, type Located, verdictOutcome } from '../changes';
import { EXIT, UsageError, type Command, type Outcome } from '../command';
import { credentials, ONLINE_OPTIONS, readTextFile } from '../options';
import { headlineFor } from '../report';

export const publishCommand: Command = {
  name: 'publish',
  summary: 'publish a contract version (refused when invalid or incompatible)',
  usage: 'charter publish <domain.product> <contract.json> [--format ...]',
  options: { ...ONLINE_OPTIONS },
  async run({ values, positionals }, io): Promise<Outcome> {
    if (positionals.length !== 2) throw new UsageError('publish needs <domain.product> <contract-file>');
    const [product, file] = positionals as [string, string];
    if (parseProductRef(product) === null)
      throw new UsageError('the product is named domain.product (lower-case letters, digits, dashes)');
    const text = readTextFile(io, file);
    const client = createCharterClient({
      ...credentials(values, io),
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    const result = await client.publishContract(product, text);
    const at: Located = { file, text, schemaPrefix: '/schema' };
    if (result.__typename === 'InvalidContract') return invalidContractOutcome('publish', result.issues, at);
    // Refused as incompatible: nothing was stored, whatever --fail-on would say.
    if (result.__typename === 'IncompatibleContract')
      return verdictOutcome('publish', fromRegistry(result), 'breaking', at, {
        product,
        published: false,
        result,
      });
    const { contractVersion: v } = result;
    const what = result.created
      ? `published ${v.product} version ${v.version}`
      : `${v.product} version ${v.version} already has this content`;
    const approval = result.needsApproval ? '; governance changes need approval' : '';
    return {
      exitCode: EXIT.ok,
      report: {
        command: 'publish',
        status: 'pass',
        headline: headlineFor('pass', `${what} (id ${v.id})${approval}`),
        lines: result.changes.map(
          (c) =>
            `${c.category === 'governance' ? 'APPROVAL' : 'ok      '} ${c.type} ${c.instancePath}: ${c.message}`,
        ),
        findings: [],
        data: { product, published: true, result },
      },
    };
  },
};
