/** The command table: adding a command is one file in this folder plus one line here. */
import type { Command } from '../command';
import { diffCommand } from './diff';

export const COMMANDS: readonly Command[] = [diffCommand];
