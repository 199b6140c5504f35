// Zod schemas for the records every stage exchanges: Message, Trajectory, Pair.
// These are the on-disk JSONL line formats (design.md); ETO's ShareGPT form is only imported, never stored.
import { z } from 'zod';

export const MessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

export const EndReasonSchema = z.enum([
  'success', // the task was completed
  'done', // the env ended the episode without full success (e.g. WebShop bought something imperfect)
  'max_steps', // the per-env step cap was hit (reward 0 for ALFWorld / WebShop)
  'context_overflow', // the conversation no longer fits the policy's context
  'error', // the policy or env failed; details in the run log
]);
export type EndReason = z.infer<typeof EndReasonSchema>;

/**
 * One episode. `messages` is the ETO conversation without the one-shot ICL example:
 * instruction (user), "OK" (assistant), task message (user), then assistant / observation turns,
 * ending with the last assistant turn (the final observation is kept in `finalObservation`).
 */
export const TrajectorySchema = z.object({
  id: z.string().min(1),
  env: z.string().min(1),
  split: z.string().min(1),
  task: z.string().min(1),
  source: z.enum(['expert', 'explore', 'eval']),
  iteration: z.number().int().min(0),
  messages: z.array(MessageSchema).min(1),
  reward: z.number().finite(),
  success: z.boolean(),
  steps: z.number().int().min(0),
  endReason: EndReasonSchema,
  policy: z.string(),
  finalObservation: z.string().optional(),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

/**
 * One preference pair in TRL's conversational shape: `prompt` is instruction + "OK" + task message;
 * `chosen` and `rejected` continue it and both end with an assistant turn.
 */
export const PairSchema = z.object({
  id: z.string().min(1),
  task: z.string().min(1),
  prompt: z.array(MessageSchema).min(1),
  chosen: z.array(MessageSchema).min(1),
  rejected: z.array(MessageSchema).min(1),
  chosenReward: z.number().finite(),
  rejectedReward: z.number().finite(),
  kind: z.enum(['trajectory', 'step']),
});
export type Pair = z.infer<typeof PairSchema>;
