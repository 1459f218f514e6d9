import { describe, expect, it } from 'vitest';
import { formatMarkdownTable, formatNumber, formatTable } from './format-table.ts';

describe('formatNumber', () => {
  it('keeps integers, shortens fractions by magnitude, and shows NaN as -', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(3.14159)).toBe('3.14');
    expect(formatNumber(31.4159)).toBe('31.4');
    expect(formatNumber(314.159)).toBe('314');
    expect(formatNumber(Number.NaN)).toBe('-');
  });
});

describe('formatTable', () => {
  it('pads columns, right-aligns numeric ones and prints missing cells as -', () => {
    const t = formatTable(
      'T',
      ['name', 'n'],
      [
        ['a', 1],
        ['long name', 1000],
        ['x', null],
      ],
    );
    expect(t.split('\n')).toEqual(['T', 'name          n', '---------  ----', 'a             1', 'long name  1000', 'x             -', '']);
  });
});

describe('formatMarkdownTable', () => {
  it('escapes pipes and right-aligns numeric columns', () => {
    const t = formatMarkdownTable(['a|b', 'n'], [['x|y', 2.5]]);
    expect(t).toBe('| a\\|b | n |\n|---|---:|\n| x\\|y | 2.50 |\n');
  });
});
