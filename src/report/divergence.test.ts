import { describe, expect, it } from 'vitest';
import type { Message } from '../data/schemas.ts';
import { firstDivergentTurn } from './divergence.ts';

const a = (content: string): Message => ({ role: 'assistant', content });
const u = (content: string): Message => ({ role: 'user', content });

describe('firstDivergentTurn', () => {
  it('finds the first assistant turn that differs, skipping shared turns', () => {
    expect(firstDivergentTurn([a('go 1'), u('o1'), a('take x'), u('o2'), a('put x')], [a('go 1'), u('o1'), a('open y'), u('o3'), a('stop')])).toBe(2);
    expect(firstDivergentTurn([a('x')], [a('y')])).toBe(0);
  });

  it('is -1 for identical sides and when only an observation differs', () => {
    expect(firstDivergentTurn([a('go'), u('o'), a('end')], [a('go'), u('o'), a('end')])).toBe(-1);
    expect(firstDivergentTurn([a('go'), u('seen a'), a('end')], [a('go'), u('seen b'), a('end')])).toBe(-1);
  });

  it('counts a turn one side lacks as a difference', () => {
    expect(firstDivergentTurn([a('go'), u('o'), a('more')], [a('go')])).toBe(2);
    expect(firstDivergentTurn([a('go')], [a('go'), u('o'), a('more')])).toBe(2);
  });

  it('treats a role change at the same position as a difference', () => {
    expect(firstDivergentTurn([a('same')], [u('same')])).toBe(0);
  });
});
