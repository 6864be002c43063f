/** charter check <product> <contract-file> [--against <file> [--mode] [--policy]] [--fail-on ...] */
import { createCharterClient } from '../../client';
import { COMPATIBILITY_MODES, COMPATIBILITY_POLICIES } from '../../compatibility';
import { checkContractChange, prepareContract, type PreparedContract } from '../../contract';
import { parseProductRef } from '../../naming';
import { fromKernel, fromRegistry, invalidContractOutcome, type Located, verdictOutcome } from '../changes';
import { type CliIo, type CommandArgs, type Outcome, UsageError, type Command } from '../command';
import { credentials, FAIL_ON, FAIL_ON_OPTION, ONLINE_OPTIONS, oneOf, readTextFile } from '../options';

/** prepareContract: the registry's own validation of a contract document, offline. */
function prepared(io: CliIo, path: string): { contract: PreparedContract } | { invalid: Outcome } {
  const text = readTextFile(io, path);
  const result = prepareContract(text);
  return result.ok
    ? { contract: result.contract }
    : {
        invalid: invalidContractOutcome('check', result.issues, {
          file: path,
          text,
          schemaPrefix: '/schema',
        }),
      };
}

function offlineCheck({ values, positionals }: CommandArgs, io: CliIo, against: string): Outcome {
  const [product, file] = positionals as [string, string];
  const mode = oneOf(values.mode, COMPATIBILITY_MODES, 'mode');
  const policy = oneOf(values.policy, COMPATIBILITY_POLICIES, 'policy');
  const failOn = oneOf(values['fail-on'], FAIL_ON, 'fail-on');
  const before = prepared(io, against);
  if ('invalid' in before) return before.invalid;
  const proposed = prepared(io, file);
  if ('invalid' in proposed) return proposed.invalid;
  const result = checkContractChange({
    mode,
    policy,
    history: [before.contract.document],
    proposed: proposed.contract.document,
  });
  const at: Located = { file, text: readTextFile(io, file), schemaPrefix: '/schema' };
  return verdictOutcome('check', fromKernel(result), failOn, at, { product, offline: true, result });
}

async function onlineCheck({ values, positionals }: CommandArgs, io: CliIo): Promise<Outcome> {
  const [product, file] = positionals as [string, string];
  const failOn = oneOf(values['fail-on'], FAIL_ON, 'fail-on');
  if (values.mode !== undefined || values.policy !== undefined)
    throw new UsageError(
      '--mode and --policy apply offline (--against); online the product’s settings apply',
    );
  const text = readTextFile(io, file);
  const client = createCharterClient({
    ...credentials(values, io),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  const result = await client.checkContract(product, text);
  const at: Located = { file, text, schemaPrefix: '/schema' };
  if (result.__typename === 'InvalidContract') return invalidContractOutcome('check', result.issues, at);
  return verdictOutcome('check', fromRegistry(result), failOn, at, { product, offline: false, result });
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'dry-run a contract against the registry, or offline against another contract file',
  usage:
    'charter check <domain.product> <contract.json> [--against <previous.json> [--mode BACKWARD] [--policy STRICT]] [--fail-on breaking|governance|never] [--format ...]',
  options: {
    against: { type: 'string' },
    mode: { type: 'string' },
    policy: { type: 'string' },
    ...FAIL_ON_OPTION,
    ...ONLINE_OPTIONS,
  },
  run(args, io) {
    if (args.positionals.length !== 2) throw new UsageError('check needs <domain.product> <contract-file>');
    if (parseProductRef(args.positionals[0] ?? '') === null)
      throw new UsageError('the product is named domain.product (lower-case letters, digits, dashes)');
    const against = args.values.against;
    if (typeof against !== 'string') return onlineCheck(args, io);
    return offlineCheck(
      { ...args, values: { mode: 'BACKWARD', policy: 'STRICT', ...args.values } },
      io,
      against,
    );
  },
};
