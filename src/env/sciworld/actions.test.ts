import { describe, expect, it } from 'vitest';
import { loadTask } from './test-helpers.ts';

// Success and refusal texts of the actions (benchmarks.md §3.2–§3.3), through the whole env.
describe('sciworld action texts', () => {
  it('moves between rooms by door and refuses rooms that are not adjacent', () => {
    const env = loadTask('boil', 3);
    env.step('teleport to hallway');
    expect(env.step('go to kitchen').observation).toBe('You move to the kitchen.');
    expect(env.step('go to bedroom').observation).toBe('No known action matches that input.');
    expect(env.step('go to table').observation).toBe(FAR);
    expect(env.step('walk to outside').observation).toBe('You move to the outside.');
    expect(env.step('open door to kitchen').observation).toBe('The door is already open.');
    expect(env.step('close kitchen door').observation).toBe('The door is now closed.');
    expect(env.step('go through door to kitchen').observation).toBe('The door to the kitchen is closed.');
  });

  it('refuses to look inside closed or non-containers, and to move into closed ones', () => {
    const env = loadTask('boil', 3);
    env.step('teleport to kitchen');
    env.step('close cupboard');
    expect(env.step('look in cupboard').observation).toBe("The cupboard isn't open, so you can't see inside.");
    expect(env.step('look in picture').observation).toBe("It's not clear how to look inside of that.");
    env.step('pick up thermometer');
    expect(env.step('move thermometer to cupboard').observation).toBe("That can't be moved there, because the cupboard isn't open.");
    expect(env.step('move thermometer to table').observation).toBe('You move the thermometer to the table.');
    expect(env.step('use thermometer on oven').observation).toBe('the thermometer measures a temperature of 25 degrees celsius');
  });

  it('pours a liquid, dunks a cup, eats, focuses and resets the task with the original texts', () => {
    const env = loadTask('freeze', 8); // variation 8 = apple juice, in a wood cup in the fridge
    env.step('teleport to kitchen');
    env.step('pick up metal pot');
    expect(env.step('pour apple juice into metal pot').observation).toBe('You pour the apple juice into the metal pot.');
    expect(env.step('dunk glass cup into metal pot').observation).toBe(
      'You dunk the glass cup in the metal pot, moving the liquids (apple juice) to the glass cup.');
    expect(env.step('eat apple').observation).toBe('The apple was delicious.');
    expect(env.step('eat picture').observation).toBe('The picture is not edible.');
    expect(env.step('focus on apple juice').observation).toBe('You focus on the apple juice.');
    expect(env.step('reset task').observation).toBe('You reset the goal progress and focus.');
    expect(env.goals.passed).toBe(0);
  });
});

const FAR = "It's not clear how to get there from here.";
