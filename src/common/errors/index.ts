export { DomainError, ValidationFailedError, type FieldError } from './domain-error';
export { AllExceptionsFilter, wantsJson } from './http-exception.filter';
export { toProblem, type Problem } from './problem';
export { StartupError, describeEndpoint, reasonOf } from './startup-error';
