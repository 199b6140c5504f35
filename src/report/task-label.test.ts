import { describe, expect, it } from 'vitest';
import { taskLabel } from './task-label.ts';

describe('taskLabel', () => {
  it('takes the goal sentence of ALFWorld / SciWorld task messages', () => {
    expect(taskLabel('You are in the middle of a room. Looking quickly around you, you see a sofa 1.\nYour task is to: put some statue on cabinet.')).toBe('put some statue on cabinet.');
    expect(taskLabel('Your task is to boil water. First, focus on the substance.')).toBe('boil water. First, focus on the substance.');
  });

  it("takes WebShop's instruction between [SEP] markers", () => {
    expect(taskLabel('Observation:\nWebShop [SEP] Instruction: [SEP] i need a red dress, price lower than 40.00 dollars [SEP] Search')).toBe('i need a red dress, price lower than 40.00 dollars');
  });

  it('falls back to the last non-empty line and shortens long text', () => {
    expect(taskLabel('first line\nsecond line\n\n')).toBe('second line');
    const label = taskLabel('x'.repeat(500));
    expect(label).toHaveLength(200);
    expect(label.endsWith('…')).toBe(true);
  });
});
