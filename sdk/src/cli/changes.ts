/** Change reports shared by diff, check and publish: one shape whether the verdict came from the kernel or the registry. */
import type { CheckContractResult, RegistryChange, RegistryContractIssue } from '../client';
import type { Change, CompatibilityResult } from '../compatibility';
import { EXIT, type ExitCode, type Outcome } from './command';
import { lineOfPointer } from './locate';
import type { FailOn } from './options';
import { type Finding, headlineFor, type Level, type Report, statusOf } from './report';

export interface ChangeView {
  type: string;
  category: string;
  breaking: boolean;
  unproven: boolean;
  schemaPath: string;
  instancePath: string;
  message: string;
  fix?: string;
}

export interface VerdictView {
  verdict: string;
  mode: string;
  policy: string;
  reason?: string;
  needsApproval: boolean;
  changes: ChangeView[];
}

/** Where findings point: the file, its text (for line numbers) and how a change maps into it. */
export interface Located {
  file: string;
  text?: string;
  /** Contract files hold the schema under /schema; bare schema files (diff) at the root. */
  schemaPrefix: '' | '/schema';
}

export function fromKernel(result: CompatibilityResult & { needsApproval?: boolean }): VerdictView {
  return {
    verdict: result.verdict,
    mode: result.mode,
    policy: result.policy,
    ...(result.reason ? { reason: `${result.reason.code}: ${result.reason.message}` } : {}),
    needsApproval: result.needsApproval ?? false,
    changes: result.changes.map((c: Change) => ({
      type: c.type,
      category: c.category,
      breaking: c.breaking,
      unproven: c.unproven !== undefined && c.unproven.length > 0,
      schemaPath: c.schemaPath,
      instancePath: c.instancePath,
      message: c.message,
      ...(c.fix !== undefined ? { fix: c.fix } : {}),
    })),
  };
}

export function fromRegistry(
  result: Exclude<CheckContractResult, { __typename: 'InvalidContract' }>,
): VerdictView {
  const compatible = result.__typename === 'CompatibleContract';
  return {
    verdict: compatible ? 'compatible' : result.verdict,
    mode: result.mode,
    policy: result.policy,
    ...(!compatible && result.reason ? { reason: result.reason } : {}),
    needsApproval: compatible ? result.needsApproval : false,
    changes: result.changes.map((c: RegistryChange) => ({
      type: c.type,
      category: c.category,
      breaking: c.breaking,
      unproven: false,
      schemaPath: c.schemaPath,
      instancePath: c.instancePath,
      message: c.message,
      ...(c.fix ? { fix: c.fix } : {}),
    })),
  };
}

function levelOf(change: ChangeView, failOn: FailOn): Level {
  if (change.breaking) return failOn === 'never' ? 'warning' : 'error';
  if (change.category === 'governance') return failOn === 'governance' ? 'error' : 'warning';
  return change.unproven ? 'warning' : 'note';
}

function pointerOf(change: ChangeView, at: Located): string {
  return change.category === 'schema' ? `${at.schemaPrefix}${change.schemaPath}` : change.schemaPath;
}

function finding(change: ChangeView, failOn: FailOn, at: Located): Finding {
  const pointer = pointerOf(change, at);
  const line = at.text !== undefined ? lineOfPointer(at.text, pointer) : undefined;
  return {
    ruleId: change.type,
    level: levelOf(change, failOn),
    title: `${change.type} at ${change.instancePath || '/'}`,
    message: change.message,
    file: at.file,
    pointer,
    ...(line !== undefined ? { line } : {}),
    category: change.category,
    ...(change.fix !== undefined ? { fix: change.fix } : {}),
  };
}

function changeLine(c: ChangeView): string {
  const mark = c.breaking
    ? 'BREAKING'
    : c.category === 'governance'
      ? 'APPROVAL'
      : c.unproven
        ? 'UNPROVEN'
        : 'ok      ';
  const fix = c.fix !== undefined && (c.breaking || c.category === 'governance') ? ` Fix: ${c.fix}.` : '';
  return `${mark} ${c.type} ${c.instancePath} (schema ${c.schemaPath || '/'}): ${c.message}${fix}`;
}

function verdictExit(view: VerdictView, failOn: FailOn): ExitCode {
  if (failOn === 'never') return EXIT.ok;
  const breaks = view.verdict !== 'compatible' || view.changes.some((c) => c.breaking);
  const governance = view.needsApproval || view.changes.some((c) => c.category === 'governance');
  return breaks || (failOn === 'governance' && governance) ? EXIT.failed : EXIT.ok;
}

function headlineText(view: VerdictView, exitCode: ExitCode, failOn: FailOn): string {
  const verdict = `${view.verdict.toUpperCase()} under ${view.mode} (${view.policy})`;
  const breaking = view.changes.filter((c) => c.breaking).length;
  const governance = view.changes.filter((c) => c.category === 'governance').length;
  const approvals = governance > 0 ? `; ${governance} governance change(s) need approval` : '';
  if (exitCode === EXIT.ok)
    return `${verdict}${approvals}${failOn === 'never' && breaking > 0 ? ` (--fail-on never)` : ''}`;
  if (view.verdict === 'compatible' && breaking === 0)
    return `${governance} governance change(s) need approval (--fail-on governance); schema verdict ${view.verdict} under ${view.mode}`;
  return `${verdict}: ${breaking} breaking change(s)${approvals}`;
}

/** The report and exit code of a verdict under --fail-on. */
export function verdictOutcome(
  command: string,
  view: VerdictView,
  failOn: FailOn,
  at: Located,
  data: Record<string, unknown>,
): Outcome {
  const exitCode = verdictExit(view, failOn);
  const status = statusOf(exitCode);
  const report: Report = {
    command,
    status,
    headline: headlineFor(status, headlineText(view, exitCode, failOn)),
    lines: [...(view.reason ? [`reason: ${view.reason}`] : []), ...view.changes.map(changeLine)],
    findings: view.changes.map((change) => finding(change, failOn, at)),
    data,
  };
  return { report, exitCode };
}

/** A contract document the registry (or prepareContract) refused: an input error, exit 2. */
export function invalidContractOutcome(
  command: string,
  issues: readonly RegistryContractIssue[],
  at: Located,
): Outcome {
  const findings: Finding[] = issues.map((issue) => {
    const line = at.text !== undefined ? lineOfPointer(at.text, issue.path) : undefined;
    return {
      ruleId: issue.code,
      level: 'error',
      title: `${issue.code} at ${issue.path || '/'}`,
      message: issue.message,
      file: at.file,
      pointer: issue.path,
      ...(line !== undefined ? { line } : {}),
      category: 'contract',
    };
  });
  const report: Report = {
    command,
    status: 'error',
    headline: headlineFor('error', `${at.file} is not a valid contract (${issues.length} issue(s))`),
    lines: issues.map((i) => `INVALID ${i.code} ${i.path || '/'}: ${i.message}`),
    findings,
    data: { valid: false, issues },
  };
  return { report, exitCode: EXIT.usage };
}
