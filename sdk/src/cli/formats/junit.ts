import type { Finding, Report } from '../report';

/** XML 1.0 forbids most control characters even escaped; they are dropped. */
// eslint-disable-next-line no-control-regex -- these control characters are what XML 1.0 forbids
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number): string => `${name}="${xmlEscape(String(value))}"`;

function testcase(report: Report, finding: Finding): string {
  const where = `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''}#${finding.pointer}`;
  const open = `    <testcase ${attr('classname', `charter.${report.command}`)} ${attr('name', finding.title)} ${attr('file', finding.file)}`;
  if (finding.level !== 'error') return `${open}/>`;
  const detail = [finding.message, `at ${where}`, ...(finding.fix ? [`fix: ${finding.fix}`] : [])].join('\n');
  return [
    `${open}>`,
    `      <failure ${attr('type', finding.ruleId)} ${attr('message', finding.message)}>${xmlEscape(detail)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

/** One test case per finding (failures for those at the --fail-on level); an error is one errored case. */
export function renderJunit(report: Report): string {
  const name = `charter ${report.command}`;
  let cases: string[];
  let failures = 0;
  let errors = 0;
  if (report.error) {
    errors = 1;
    cases = [
      `    <testcase ${attr('classname', `charter.${report.command}`)} ${attr('name', report.command)}>`,
      `      <error ${attr('type', report.error.code)} ${attr('message', report.error.message)}/>`,
      '    </testcase>',
    ];
  } else if (report.findings.length === 0) {
    cases = [
      `    <testcase ${attr('classname', `charter.${report.command}`)} ${attr('name', report.headline)}/>`,
    ];
  } else {
    failures = report.findings.filter((f) => f.level === 'error').length;
    cases = report.findings.map((finding) => testcase(report, finding));
  }
  const tests = report.error ? 1 : Math.max(1, report.findings.length);
  const counts = `${attr('tests', tests)} ${attr('failures', failures)} ${attr('errors', errors)}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', 'charter')} ${counts}>`,
    `  <testsuite ${attr('name', name)} ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
