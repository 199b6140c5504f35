// Exporters to the formats training stacks read (ecosystem.md §1): TRL's conversational preference
// JSONL (`{prompt, chosen, rejected}` message lists) and SFT messages JSONL (`{messages}`).
// Note: TRL's DPOTrainer scores observation turns inside chosen/rejected too; ETO masks them.
import type { Message, Pair, Trajectory } from './schemas.ts';

export interface TrlPreferenceRecord {
  prompt: Message[];
  chosen: Message[];
  rejected: Message[];
}

export function toTrlPreference(pair: Pair): TrlPreferenceRecord {
  return { prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected };
}

export function toSftMessages(trajectory: Trajectory): { messages: Message[] } {
  return { messages: trajectory.messages };
}
