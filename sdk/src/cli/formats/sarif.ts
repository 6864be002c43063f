import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Level, Report } from '../report';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A relative path stays relative (resolved against the checkout); each segment percent-encoded. */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

interface Rule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: Level };
  properties?: { category: string };
}

function rulesOf(findings: readonly Finding[]): Rule[] {
  const rules = new Map<string, Rule>();
  for (const finding of findings) {
    if (rules.has(finding.ruleId)) continue;
    rules.set(finding.ruleId, {
      id: finding.ruleId,
      shortDescription: { text: `${finding.category ?? 'charter'} ${finding.ruleId}` },
      defaultConfiguration: { level: finding.level },
      ...(finding.category ? { properties: { category: finding.category } } : {}),
    });
  }
  return [...rules.values()];
}

function result(finding: Finding, ruleIndex: number): Record<string, unknown> {
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.level,
    message: { text: finding.fix ? `${finding.message} Fix: ${finding.fix}` : finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(finding.file) },
          ...(finding.line !== undefined ? { region: { startLine: finding.line } } : {}),
        },
        logicalLocations: [{ fullyQualifiedName: finding.pointer || '/', kind: 'member' }],
      },
    ],
  };
}

/** SARIF 2.1.0: one rule per change type or issue code, results located by file, line and JSON Pointer. */
export function renderSarif(report: Report, toolVersion: string): string {
  const rules = rulesOf(report.findings);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const invocation = {
    executionSuccessful: report.status !== 'error',
    ...(report.error
      ? {
          toolExecutionNotifications: [
            {
              level: 'error',
              message: { text: report.error.message },
              descriptor: { id: report.error.code },
            },
          ],
        }
      : {}),
  };
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'charter', version: toolVersion, rules } },
        invocations: [invocation],
        results: report.findings.map((finding) => result(finding, index.get(finding.ruleId) ?? 0)),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
