import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotation, escapeData, escapeProperty } from '../../src/cli/formats/github';
import { renderJunit } from '../../src/cli/formats/junit';
import { charter, CONTRACTS, workspace } from './harness';

const dir = workspace({ ...CONTRACTS, 'a,b:c%.json': CONTRACTS['v3.json'] });
const f = (name: string) => join(dir, name);
const breaking = ['check', 'pay.orders', f('v3.json'), '--against', f('v1.json')];
const governance = ['check', 'pay.orders', f('v4.json'), '--against', f('v1.json')];

// The SARIF 2.1.0 schema (rtm.5, the OASIS standard's) as shipped by @microsoft/jest-sarif.
const sarifSchema: unknown = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validSarif = ajv.compile(sarifSchema as object);

function parseXml(text: string): Record<string, any> {
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw new Error(`not well-formed XML: ${JSON.stringify(verdict.err)}`);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => name === 'testcase',
  }).parse(text);
}

describe('--format junit', () => {
  it('is well-formed JUnit: one test case per change, failures for breaking ones', async () => {
    const run = await charter([...breaking, '--format', 'junit']);
    expect(run.code).toBe(1);
    const suite = parseXml(run.stdout).testsuites.testsuite;
    const cases: Record<string, any>[] = suite.testcase;
    const failing = cases.filter((c) => c.failure !== undefined);
    expect(Number(suite['@tests'])).toBe(cases.length);
    expect(Number(suite['@failures'])).toBe(failing.length);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing[0]?.failure['@type']).toMatch(/^[A-Z_]+$/);
    expect(failing[0]?.['@name']).toMatch(/ at \/id$/);
  });

  it('marks governance changes as passing cases by default and failing with --fail-on governance', async () => {
    const lenient = parseXml((await charter([...governance, '--format', 'junit'])).stdout).testsuites
      .testsuite;
    expect(lenient['@failures']).toBe('0');
    expect(lenient.testcase.length).toBeGreaterThan(0);
    const strict = await charter([...governance, '--format', 'junit', '--fail-on', 'governance']);
    expect(strict.code).toBe(1);
    expect(Number(parseXml(strict.stdout).testsuites.testsuite['@failures'])).toBeGreaterThan(0);
  });

  it('has one passing case for a clean run, and an errored case for an input error', async () => {
    const clean = parseXml(
      (await charter(['check', 'pay.orders', f('v1.json'), '--against', f('v1.json'), '--format', 'junit']))
        .stdout,
    );
    expect(clean.testsuites.testsuite).toMatchObject({ '@tests': '1', '@failures': '0', '@errors': '0' });
    const broken = await charter([
      'check',
      'pay.orders',
      f('missing.json'),
      '--against',
      f('v1.json'),
      '--format',
      'junit',
    ]);
    expect(broken.code).toBe(2);
    const suite = parseXml(broken.stdout).testsuites.testsuite;
    expect(suite['@errors']).toBe('1');
    expect(suite.testcase[0].error['@type']).toBe('INPUT_UNREADABLE');
  });

  it('escapes markup and drops control characters so the XML stays well-formed', () => {
    const xml = renderJunit({
      command: 'validate',
      status: 'fail',
      headline: 'FAIL',
      lines: [],
      data: {},
      findings: [
        {
          ruleId: 'X',
          level: 'error',
          title: '<a & "b">\u0001',
          message: "]]> ' \u0000",
          file: 'f',
          pointer: '/a',
        },
      ],
    });
    expect(parseXml(xml).testsuites.testsuite.testcase[0]['@name']).toBe('<a & "b">');
    expect(xml.includes('\u0000') || xml.includes('\u0001')).toBe(false);
  });
});

describe('--format sarif', () => {
  it('validates against the SARIF 2.1.0 schema, one rule per change type, located by file, line and pointer', async () => {
    const run = await charter([...breaking, '--format', 'sarif']);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout);
    expect(validSarif(log) ? [] : validSarif.errors).toEqual([]);
    const [runLog] = log.runs;
    const ruleIds = runLog.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    const result = runLog.results.find((r: { level: string }) => r.level === 'error');
    expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
    const location = result.locations[0];
    expect(location.physicalLocation.artifactLocation.uri).toBe(`file://${f('v3.json')}`);
    expect(location.logicalLocations[0].fullyQualifiedName).toMatch(/^\/schema\/properties\/id/);
    // The changed keyword in the pretty-printed v3.json: line 10 is `"id": {`, line 11 `"type": "integer"`.
    expect(location.logicalLocations[0].fullyQualifiedName).toBe('/schema/properties/id/type');
    expect(location.physicalLocation.region.startLine).toBe(11);
  });

  it('is schema-valid for an error too, marking the invocation unsuccessful', async () => {
    const run = await charter(['validate', f('missing.json'), f('v1.json'), '--format', 'sarif']);
    expect(run.code).toBe(2);
    const log = JSON.parse(run.stdout);
    expect(validSarif(log) ? [] : validSarif.errors).toEqual([]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it('is schema-valid for validate findings and for a clean run', async () => {
    const payloads = workspace({ 'p.jsonl': `${JSON.stringify({ id: 5 })}\n${JSON.stringify({ id: 'x' })}` });
    for (const argv of [
      ['validate', f('v1.json'), join(payloads, 'p.jsonl'), '--format', 'sarif'],
      ['check', 'pay.orders', f('v1.json'), '--against', f('v1.json'), '--format', 'sarif'],
    ]) {
      const log = JSON.parse((await charter(argv)).stdout);
      expect(validSarif(log) ? [] : validSarif.errors).toEqual([]);
    }
  });
});

describe('--format github', () => {
  it('escapes data and properties exactly as the workflow-command spec says', () => {
    expect(escapeData('50% a\r\nb: c, d')).toBe('50%25 a%0D%0Ab: c, d');
    expect(escapeProperty('50% a\r\nb: c, d')).toBe('50%25 a%0D%0Ab%3A c%2C d');
    expect(
      annotation({
        ruleId: 'R',
        level: 'warning',
        title: 'T: x, y',
        message: 'm\n2',
        file: 'a,b:c.json',
        pointer: '',
        line: 4,
      }),
    ).toBe('::warning file=a%2Cb%3Ac.json,line=4,title=T%3A x%2C y::m%0A2');
  });

  it('prints one ::error per breaking change with file, line and title, and appends a job summary', async () => {
    const summary = join(dir, 'summary.md');
    const run = await charter([...breaking, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).toMatch(/^::error file=[^,:]+,line=\d+,title=[^,:]+::\S.*$/);
    expect(errors[0]).toContain(`file=${f('v3.json')},line=11,title=`);
    expect(run.stdout.split('\n').at(-1)).toMatch(/^FAIL: INCOMPATIBLE/);
    expect(run.appended[summary]).toMatch(
      /^### charter check\n\nFAIL: INCOMPATIBLE[^\n]*\n\n\| level \| rule \| where \| message \|/,
    );
  });

  it('escapes a file name holding commas, colons and percent signs', async () => {
    const run = await charter([
      'check',
      'pay.orders',
      f('a,b:c%.json'),
      '--against',
      f('v1.json'),
      '--format',
      'github',
    ]);
    expect(run.stdout).toContain(`file=${escapeProperty(f('a,b:c%.json'))},line=`);
    expect(escapeProperty(f('a,b:c%.json'))).toContain('a%2Cb%3Ac%25.json');
  });

  it('uses warnings for governance changes unless --fail-on governance', async () => {
    const lenient = await charter([...governance, '--format', 'github']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/^::warning file=.*title=PII_TAG_REMOVED at \/email::/m);
    expect(lenient.stdout).not.toMatch(/^::error/m);
    const strict = await charter([...governance, '--format', 'github', '--fail-on', 'governance']);
    expect(strict.stdout).toMatch(/^::error file=.*title=PII_TAG_REMOVED at \/email::/m);
  });

  it('is chosen automatically when GITHUB_ACTIONS=true and no --format is given', async () => {
    const auto = await charter(breaking, { env: { GITHUB_ACTIONS: 'true' } });
    expect(auto.stdout).toMatch(/^::error file=/);
    const explicit = await charter([...breaking, '--format', 'text'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(explicit.stdout).toMatch(/^FAIL: /);
  });

  it('reports an input error as an ::error annotation', async () => {
    const run = await charter([
      'check',
      'pay.orders',
      f('missing.json'),
      '--against',
      f('v1.json'),
      '--format',
      'github',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error title=charter check::cannot read input file/);
  });
});

describe('--format json', () => {
  it('wraps every command in the versioned envelope', async () => {
    const run = await charter([...breaking, '--format', 'json']);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      version: 1,
      command: 'check',
      status: 'fail',
      product: 'pay.orders',
      offline: true,
    });
    expect(doc.result.verdict).toBe('incompatible');
    const error = JSON.parse(
      (
        await charter([
          'check',
          'pay.orders',
          f('missing.json'),
          '--against',
          f('v1.json'),
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect(error).toEqual({
      version: 1,
      command: 'check',
      status: 'error',
      error: { code: 'INPUT_UNREADABLE', message: expect.any(String) },
    });
  });
});
