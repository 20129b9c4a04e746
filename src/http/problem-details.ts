/**
 * RFC 9457 problem details. `type` names the problem (`/problems/<code>`); `errors` lists bad fields for
 * validation problems; any other member (e.g. `status_of_call`) is an extension clients may read.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface FieldError {
  /** Dotted path of the offending field, e.g. `destination.target`; `body` for the whole body. */
  field: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(
  status: number,
  code: string,
  title: string,
  extras: Omit<Partial<ProblemDetails>, 'status' | 'code' | 'title'> = {},
): ProblemDetails {
  return { type: `/problems/${code}`, title, status, code, ...extras };
}
