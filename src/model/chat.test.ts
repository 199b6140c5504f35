import { Template } from '@huggingface/jinja';
import { describe, expect, it } from 'vitest';
import type { Message } from '../data/schemas.ts';
import { CHAT_TEMPLATE, encodeChat, encodeChatPrompt, endOfTurnId, renderChat } from './chat.ts';
import { trainTokenizer } from './tokenizer.ts';

const messages: Message[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Your task is to: put a mug in cabinet 1.' },
  { role: 'assistant', content: 'Thought: find a mug.\nAction: go to countertop 1' },
  { role: 'user', content: 'Observation: On the countertop 1, you see a mug 1.' },
  { role: 'assistant', content: 'Action: take mug 1 from countertop 1' },
];
const tokenizer = trainTokenizer(messages.map((m) => m.content), { vocabSize: 320 });

describe('chat template', () => {
  it('the Jinja template renders exactly the text our encoder tokenizes', () => {
    const template = new Template(CHAT_TEMPLATE);
    for (const addGenerationPrompt of [false, true]) {
      const rendered = template.render({ messages, bos_token: '<|bos|>', add_generation_prompt: addGenerationPrompt });
      expect(rendered).toBe(renderChat(messages, addGenerationPrompt));
      const ids = addGenerationPrompt ? encodeChatPrompt(tokenizer, messages) : encodeChat(tokenizer, messages).ids;
      expect(Array.from(ids)).toEqual(tokenizer.encode(rendered));
    }
  });

  it('masks exactly the assistant contents and their end-of-turn tokens', () => {
    const { ids, assistantMask } = encodeChat(tokenizer, messages);
    const scored: number[] = [];
    ids.forEach((id, t) => {
      if (assistantMask[t]) scored.push(id);
    });
    const expected = messages
      .filter((m) => m.role === 'assistant')
      .flatMap((m) => [...tokenizer.encode(m.content), endOfTurnId(tokenizer)]);
    expect(scored).toEqual(expected);
    expect(assistantMask[0]).toBe(0);
  });
});
