// A short human-readable goal for a task, taken from its task message ("Your task is to: …" in ALFWorld and
// SciWorld, "Instruction: [SEP] …" in WebShop), because Trajectory.task is often just an id. Not a parser.
const GOAL = /(?:your task is to|instruction)\s*:?\s*(?:\[SEP\]\s*)?([^\n]+?)\s*(?:\[SEP\]|$)/im;
const MAX_LENGTH = 200;

export function taskLabel(taskMessage: string): string {
  const goal = GOAL.exec(taskMessage)?.[1]?.trim();
  const lines = taskMessage.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const text = goal && goal !== '' ? goal : (lines.at(-1) ?? '');
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
