import { ConflictException, HttpStatus, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError, ValidationFailedError } from './domain-error';
import { toProblem } from './problem';

describe(toProblem.name, () => {
  it('keeps a domain error’s code, status, message and field errors', () => {
    const problem = toProblem(
      new ValidationFailedError([{ field: 'email', message: 'Enter an email address.' }]),
    );
    expect(problem).toMatchObject({
      status: 422,
      title: 'Unprocessable Entity',
      code: 'validation_failed',
      errors: [{ field: 'email', message: 'Enter an email address.' }],
      expose: true,
    });
    expect(
      toProblem(new DomainError('last_manager', 'You are the last manager.', HttpStatus.CONFLICT)),
    ).toMatchObject({
      status: 409,
      code: 'last_manager',
      detail: 'You are the last manager.',
    });
  });

  it('maps HTTP exceptions to their status with a default code', () => {
    expect(toProblem(new ConflictException('Already there.'))).toMatchObject({
      status: 409,
      code: 'conflict',
      detail: 'Already there.',
    });
    expect(toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({
      status: 404,
      detail: 'The page or resource you asked for does not exist.',
    });
    expect(toProblem(new PayloadTooLargeException()).status).toBe(413);
  });

  it('maps Prisma’s known errors once (unique → 409, missing → 404)', () => {
    const unique = Object.assign(new Error('Unique constraint failed'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2002',
    });
    const missing = Object.assign(new Error('No record'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2025',
    });
    expect(toProblem(unique)).toMatchObject({ status: 409, code: 'conflict' });
    expect(toProblem(missing)).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('hides everything about an unexpected error', () => {
    const problem = toProblem(new TypeError('cannot read properties of undefined (reading "secret")'));
    expect(problem).toMatchObject({ status: 500, code: 'internal_error', expose: false });
    expect(problem.detail).not.toContain('secret');
  });

  it('keeps Fastify’s client errors as 4xx', () => {
    const err = Object.assign(new Error('Body is not valid JSON'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    });
    expect(toProblem(err)).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
  });
});
