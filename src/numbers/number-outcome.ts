import type { Written } from '../command-handling/command-runner';
import type { NumberEvent, NumberState } from './number';

/** What every number command answers: the number stream as it now is. */
export type NumberOutcome = Written<NumberEvent, NumberState>;
