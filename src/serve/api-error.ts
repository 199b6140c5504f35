// ApiError: a request the server refuses, carried to the client as OpenAI's error object
//   {"error": {"message", "type", "param", "code"}} with an HTTP status. Not for server bugs (those are 500s).
import { AppError } from '../errors.ts';

export type ApiErrorType = 'invalid_request_error' | 'not_found_error' | 'rate_limit_error' | 'server_error';

export class ApiError extends AppError {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly type: ApiErrorType = 'invalid_request_error',
    /** the request field at fault (OpenAI's `param`), e.g. `messages.0.content` */
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { message: string; type: ApiErrorType; param: string | null; code: string | null };
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

/** 400 for a field with a bad value; `param` names it as the client wrote it. */
export function invalidField(param: string, message: string, code: string | null = null): ApiError {
  return new ApiError(400, `${param}: ${message}`, 'invalid_request_error', param, code);
}
