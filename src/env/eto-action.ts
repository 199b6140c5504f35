// How ETO reads an action from a reply in WebShop and ScienceWorld (ALFWorld's parser differs: alfworld/harness.ts),
// and what the agent is told when a reply has none.

export const INVALID_FORMAT = "Observation: Invalid format. The input must contains 'Action: '";

/** ETO's regex `Action: (.*)` with DOTALL on the stripped reply: everything after the first `Action: `. */
export function parseAction(reply: string): string | null {
  const text = reply.trim();
  const at = text.indexOf('Action: ');
  return at < 0 ? null : text.slice(at + 'Action: '.length);
}
