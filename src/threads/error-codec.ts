import { InternalError, ProductReadError, UsageError } from '../errors.js';

/**
 * An error as it crosses a thread boundary: structured clone keeps only an Error's message, so the kind that decides
 * the exit code (and a product error's file and variable) travel as plain fields and are rebuilt on the other side.
 */
export interface EncodedError {
  readonly name: string;
  readonly message: string;
  readonly file?: string;
  readonly problem?: string;
  readonly variable?: string;
}

export function encodeError(error: unknown): EncodedError {
  if (error instanceof ProductReadError)
    return {
      name: error.name,
      message: error.message,
      file: error.file,
      problem: error.problem,
      ...(error.variable === undefined ? {} : { variable: error.variable }),
    };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The same kind of error again: a product error with its file and variable, a usage error, a bug, or a plain one. */
export function decodeError(encoded: EncodedError): Error {
  const { name, message } = encoded;
  if (name === 'ProductReadError' && encoded.file !== undefined && encoded.problem !== undefined)
    return new ProductReadError(encoded.file, encoded.problem, encoded.variable);
  if (name === 'ProductReadError' || name === 'UsageError' || name === 'ValidationError')
    return new UsageError(message);
  if (name === 'InternalError') return new InternalError(message);
  const error = new Error(message);
  error.name = name;
  return error;
}
