import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError, type FieldError } from '../errors';

function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {});
    return own.length ? [{ field, message: own[0] ?? 'is invalid' }] : fieldErrors(e.children ?? [], field);
  });
}

/** Validation of every DTO: unknown fields are dropped, failures become one 422 with a message per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => new ValidationFailedError(fieldErrors(errors)),
  });
}
