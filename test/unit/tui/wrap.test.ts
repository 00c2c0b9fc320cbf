import { describe, expect, it } from 'vitest';
import { fit, truncate, wrap } from '../../../src/tui/wrap.js';

describe('wrap', () => {
  it('breaks between words, cuts words longer than a line, keeps paragraphs', () => {
    expect(wrap('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('one\n\ntwo', 10)).toEqual(['one', '', 'two']);
  });

  it('counts wide characters as two cells', () => {
    expect(wrap('你好世界', 4)).toEqual(['你好', '世界']);
  });

  it('truncates and fits to exact widths', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('你好世界', 5)).toBe('你好…');
    expect(fit('你好世界', 6)).toBe('你好… ');
  });
});
