// The expert's `Thought:` lines: ReAct-style, a few seeded wordings each. Every thought names what the
// next action copies (the object instance, where it was found, the appliance, the target), so that a
// small model learns to carry those names from observations into actions.
import type { Rng } from '../../rng.ts';
import type { Task } from './tasks.ts';

const VERB: Record<string, string> = { clean: 'clean', heat: 'heat', cool: 'cool' };

function pick(rng: Rng, options: string[]): string {
  return rng.pick(options);
}

/** `cabinet 1-4` style summary of where the search will look first. */
export function placesSummary(places: string[]): string {
  const byType = new Map<string, number[]>();
  for (const place of places) {
    const [type, number] = place.split(' ') as [string, string];
    byType.set(type, [...(byType.get(type) ?? []), Number(number)]);
  }
  return [...byType]
    .map(([type, numbers]) => (numbers.length === 1 ? `${type} ${numbers[0]}` : `${type} ${Math.min(...numbers)}-${Math.max(...numbers)}`))
    .join(', ');
}

export function planThought(rng: Rng, task: Task, appliance: string | null, likely: string[], first: string): string {
  const o = task.object;
  let steps: string;
  if (task.type === 'examine') steps = `find and take a ${o}, then find and use a ${task.target}`;
  else if (task.type === 'puttwo') steps = `find and take the first ${o}, put it in/on ${task.target}, then find and take the second ${o}, and put it in/on ${task.target} too`;
  else if (appliance) steps = `find and take a ${o}, then ${VERB[task.type]} it with ${appliance}, then put it in/on ${task.target}`;
  else steps = `find and take a ${o}, then put it in/on ${task.target}`;
  const where = placesSummary(likely);
  return pick(rng, [
    `To solve the task, I need to ${steps}. First I need to find a ${o}. A ${o} is more likely to appear in ${where}. I can check one by one, starting with ${first}.`,
    `The task needs me to ${steps}. A ${o} is usually found in ${where}, so I start looking at ${first}.`,
    `My plan: ${steps}. I look for a ${o} first; the likely places are ${where}. I go to ${first} first.`,
  ]);
}

export function searchNextThought(rng: Rng, wanted: string, here: string | null, next: string): string {
  if (here === null) return `I need to find a ${wanted}. I check ${next}.`;
  return pick(rng, [
    `There is no ${wanted} on the ${here}. Next, I check ${next}.`,
    `I do not see a ${wanted} in the ${here}. I go to ${next} next.`,
    `No ${wanted} at ${here}. The next place to check is ${next}.`,
  ]);
}

export function openThought(rng: Rng, receptacle: string, wanted: string): string {
  return pick(rng, [
    `The ${receptacle} is closed. I open it to look for a ${wanted}.`,
    `I need to open the ${receptacle} to see if there is a ${wanted} inside.`,
  ]);
}

export function closeThought(rng: Rng, receptacle: string, wanted: string): string {
  return pick(rng, [
    `There is no ${wanted} in the ${receptacle}. I close it before I move on.`,
    `No ${wanted} inside the ${receptacle}, so I close it again.`,
  ]);
}

export function goBackThought(rng: Rng, thing: string, receptacle: string): string {
  return pick(rng, [
    `I saw ${thing} on the ${receptacle} before. I go back to ${receptacle} to take it.`,
    `Earlier I found ${thing} in the ${receptacle}. Now I go there to get it.`,
  ]);
}

export function takeThought(rng: Rng, thing: string, receptacle: string): string {
  return pick(rng, [
    `Now I find a ${thing.split(' ')[0]} (${thing}) in the ${receptacle}. Next, I need to take it.`,
    `There is ${thing} at ${receptacle}. I take ${thing} from ${receptacle}.`,
    `I found ${thing} in ${receptacle}. I pick it up.`,
  ]);
}

export function toApplianceThought(rng: Rng, task: Task, thing: string, appliance: string): string {
  const verb = VERB[task.type] ?? task.type;
  return pick(rng, [
    `Now I have ${thing}. Next, I need to go to ${appliance} and ${verb} it.`,
    `I am holding ${thing}. To ${verb} it, I go to ${appliance}.`,
  ]);
}

export function applyThought(rng: Rng, task: Task, thing: string, appliance: string): string {
  const verb = VERB[task.type] ?? task.type;
  return pick(rng, [
    `I am at ${appliance} with ${thing}. I ${verb} ${thing} with ${appliance}.`,
    `Now I can ${verb} ${thing} using ${appliance}.`,
  ]);
}

export function toTargetThought(rng: Rng, task: Task, thing: string, target: string, after: string | null): string {
  const done = after ? `Now the ${thing} is ${after}. ` : `Now I have ${thing}. `;
  return pick(rng, [
    `${done}Next, I need to put it in/on ${target}.`,
    `${done}I go to ${target} to put it there.`,
  ]);
}

export function openTargetThought(rng: Rng, target: string, thing: string): string {
  return pick(rng, [
    `The ${target} is closed. I open it so I can put ${thing} in it.`,
    `I need to open the ${target} before I put ${thing} in it.`,
  ]);
}

export function putThought(rng: Rng, thing: string, target: string): string {
  return pick(rng, [
    `I am at ${target} with ${thing}. I put ${thing} in/on ${target}.`,
    `Now I put ${thing} in/on ${target}.`,
  ]);
}

export function secondThought(rng: Rng, task: Task, placed: string, target: string, next: string): string {
  return pick(rng, [
    `Now I put the first ${task.object} (${placed}) in ${target}. Next, I need to find the second ${task.object}. I check ${next}.`,
    `One ${task.object} is in ${target}. I still need a second ${task.object}, so I go to ${next}.`,
  ]);
}

export function lampThought(rng: Rng, thing: string, lamp: string, host: string | null, next: string): string {
  if (host) {
    return pick(rng, [
      `Now I have ${thing}. I saw the ${lamp} on the ${host}, so I go to ${host}.`,
      `I am holding ${thing}. Next, I go to ${host} where the ${lamp} is.`,
    ]);
  }
  return pick(rng, [
    `Now I have ${thing}. Next, I need to find a ${lamp.split(' ')[0]}. I check ${next}.`,
    `I am holding ${thing}. I look for a ${lamp.split(' ')[0]}, starting with ${next}.`,
  ]);
}

export function useThought(rng: Rng, thing: string, lamp: string, host: string): string {
  return pick(rng, [
    `I am at ${host} with ${thing}, and the ${lamp} is here. I turn on the ${lamp}.`,
    `Now I use the ${lamp} on the ${host} to look at ${thing}.`,
  ]);
}
