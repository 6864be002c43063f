/** The command table: adding a command is one file in this folder plus one line here. */
import type { Command } from '../command';
import { auditCommand } from './audit';
import { checkCommand } from './check';
import { diffCommand } from './diff';
import { publishCommand } from './publish';
import { validateCommand } from './validate';

export const COMMANDS: readonly Command[] = [
  checkCommand,
  publishCommand,
  validateCommand,
  diffCommand,
  auditCommand,
];
