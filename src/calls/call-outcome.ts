import type { Written } from '../command-handling/command-runner';
import type { CallEvent, CallState } from './call';

/** What every call command answers (MakeCall, HangupCall, ReportSignal): the call as it now is. */
export type CallOutcome = Written<CallEvent, CallState>;
