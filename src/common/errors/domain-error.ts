import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A business-rule failure with a stable machine code, translated to HTTP in one place
 * (the exception filter). Feature code throws these; it never builds HTTP responses itself.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: HttpStatus = HttpStatus.BAD_REQUEST,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Input that failed validation, with one message per field. */
export class ValidationFailedError extends DomainError {
  constructor(errors: FieldError[], message = 'Some fields need your attention.') {
    super('validation_failed', message, HttpStatus.UNPROCESSABLE_ENTITY, errors);
    this.name = 'ValidationFailedError';
  }
}
