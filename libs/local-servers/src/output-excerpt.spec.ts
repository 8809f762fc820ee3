import { describe, expect, it } from 'vitest';
import { OutputExcerpt } from './output-excerpt';

describe('OutputExcerpt', () => {
  it('joins lines split across chunks and skips blank lines', () => {
    const excerpt = new OutputExcerpt();
    excerpt.push('one\ntw');
    excerpt.push('o\r\n\nthree');
    expect(excerpt.text()).toBe('one\ntwo\nthree');
  });

  it('keeps the first and the last lines and marks the gap', () => {
    const excerpt = new OutputExcerpt(2, 3);
    excerpt.push('a\nb\nc\nd\ne\nf\ng\n');
    expect(excerpt.text()).toBe('a\nb\n… (2 lines left out)\ne\nf\ng');
  });

  it('is empty before any output', () => {
    expect(new OutputExcerpt().text()).toBe('');
  });
});
