import { displayWidth, formatTable } from './table.formatter';

describe('formatTable', () => {
  it('left-aligns columns with three spaces between them', () => {
    const out = formatTable(
      [
        ['my-app', 'started', 'web:1/1'],
        ['a', 'stopped', 'web:0/1, worker:2/2'],
      ],
      { header: ['name', 'requested state', 'processes'] },
    );
    expect(out).toBe(
      [
        'name     requested state   processes',
        'my-app   started           web:1/1',
        'a        stopped           web:0/1, worker:2/2',
        '',
      ].join('\n'),
    );
  });

  it('never ends a line with spaces, even when trailing cells are empty', () => {
    const out = formatTable([
      ['org', 'wharf', ''],
      ['space', '', ''],
      ['a-much-longer-label', 'x   ', ''],
    ]);
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) expect(line).not.toMatch(/\s$/);
    expect(lines).toEqual(['org                   wharf', 'space', 'a-much-longer-label   x']);
  });

  it('bolds only header cells and aligns by visible width', () => {
    const out = formatTable([['wharf', 'x']], { header: ['name', 'status'], boldHeader: true });
    const [header, row] = out.split('\n');
    expect(header).toBe('\u001b[1mname\u001b[22m    \u001b[1mstatus\u001b[22m');
    expect(row).toBe('wharf   x');
    expect(displayWidth(header ?? '')).toBe(displayWidth(row ?? '') - 'x'.length + 'status'.length);
  });

  it('prints the header alone for an empty table and nothing for no rows at all', () => {
    expect(formatTable([], { header: ['name'] })).toBe('name\n');
    expect(formatTable([])).toBe('');
  });
});
