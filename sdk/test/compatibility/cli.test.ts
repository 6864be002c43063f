import { runCli } from '../../src/cli/main';

function io(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      readFile: (p: string) => {
        const text = files[p];
        if (text === undefined) throw new Error('missing');
        return text;
      },
    },
  };
}

const files = {
  'old.json': JSON.stringify({ type: 'object', properties: { a: { type: 'string' } } }),
  'new.json': JSON.stringify({ type: 'object', properties: { a: { type: 'integer' } } }),
  'bad.json': '{',
};

describe('charter diff', () => {
  it('exits 0 and prints COMPATIBLE for an unchanged schema', () => {
    const t = io(files);
    expect(runCli(['diff', 'old.json', 'old.json'], t.io)).toBe(0);
    expect(t.out.join('\n')).toContain('COMPATIBLE');
  });

  it('exits 1 and lists each change on one line with its path', () => {
    const t = io(files);
    expect(runCli(['diff', 'old.json', 'new.json', '--mode', 'BACKWARD'], t.io)).toBe(1);
    expect(t.out.join('\n')).toMatch(/BREAKING TYPE_NARROWED \/a /);
  });

  it('prints a versioned json document', () => {
    const t = io(files);
    expect(runCli(['diff', 'old.json', 'new.json', '--format', 'json', '--policy', 'SEMANTIC'], t.io)).toBe(
      1,
    );
    const doc = JSON.parse(t.out.join('\n'));
    expect(doc).toMatchObject({
      version: 1,
      command: 'diff',
      result: { verdict: 'incompatible', policy: 'SEMANTIC' },
    });
  });

  it.each([
    [['diff', 'old.json']],
    [['diff', 'old.json', 'bad.json']],
    [['diff', 'old.json', 'missing.json']],
    [['diff', 'old.json', 'new.json', '--mode', 'SIDEWAYS']],
    [['diff', 'https://example.com/a.json', 'new.json']],
    [['frobnicate']],
  ])('exits 2 on usage or input errors: %j', (argv) => {
    expect(runCli(argv, io(files).io)).toBe(2);
  });
});
