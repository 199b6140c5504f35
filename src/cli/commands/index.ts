// Every command group of the CLI. A group adds itself with one import and one entry.
import type { Command } from 'commander';

export type RegisterCommands = (program: Command) => void;

export const commandGroups: RegisterCommands[] = [];
