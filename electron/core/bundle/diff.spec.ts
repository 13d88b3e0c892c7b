import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff';

describe('unifiedDiff', () => {
  it('keeps distant changes in separate hunks', () => {
    const a = Array.from({ length: 20 }, (_, i) => String(i + 1)).join('\n');
    const b = a.replace(/^2$/m, 'two').replace(/^18$/m, 'eighteen');
    const hunks = unifiedDiff(a, b).split('\n').filter((l) => l.startsWith('@@'));
    expect(hunks).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
  });

  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('shows changed lines with context like diff -u', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    const b = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10', '11'].join('\n');
    expect(unifiedDiff(a, b, 'old', 'new')).toBe(
      ['--- old', '+++ new', '@@ -2,9 +2,10 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ' 9', ' 10', '+11', ''].join('\n'),
    );
  });
});
