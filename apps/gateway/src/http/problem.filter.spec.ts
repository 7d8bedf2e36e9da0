import { HttpException, NotFoundException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { ConflictError, DomainError, toProblem, ValidationFailedError } from '@procura/errors';
import { asDomainError } from './problem.filter';

describe('problem mapping', () => {
  it('keeps domain errors with their code, status and fields', () => {
    const problem = toProblem(
      new ValidationFailedError([{ field: 'company.name', messages: ['name must be longer'] }]),
      '/api/v1/companies',
      'req-1',
    );
    expect(problem).toMatchObject({
      type: 'urn:procura:problem:validation-failed',
      title: 'Bad Request',
      status: 400,
      code: 'VALIDATION_FAILED',
      instance: '/api/v1/companies',
      requestId: 'req-1',
      errors: [{ field: 'company.name', messages: ['name must be longer'] }],
    });
  });

  it('carries non-secret extras such as the conflicting resource', () => {
    expect(toProblem(new ConflictError('COMPANY_ALREADY_EXISTS', 'exists', { companyId: 'c1' }))).toMatchObject({
      status: 409,
      companyId: 'c1',
    });
  });

  it('maps framework 404s and hides unexpected errors behind a generic 500', () => {
    expect(asDomainError(new NotFoundException())).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const hidden = asDomainError(new Error('connection string postgres://user:secret@db'));
    expect(hidden).toBeInstanceOf(DomainError);
    expect(hidden).toMatchObject({ code: 'INTERNAL', status: 500, message: 'Internal error' });
  });

  it('renders the refusals of a body by Fastify as the problems of the API (Nest passes them on as HttpExceptions)', () => {
    const malformed = new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
    expect(asDomainError(new HttpException(malformed.message, malformed.statusCode!))).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      fields: [{ field: 'body' }],
    });
    const empty = new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
    expect(asDomainError(new HttpException(empty.message, empty.statusCode!))).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const tooLarge = new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    expect(asDomainError(new HttpException(tooLarge.message, tooLarge.statusCode!))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
    });
    const mediaType = new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE();
    expect(asDomainError(new HttpException(mediaType.message, mediaType.statusCode!))).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      status: 415,
    });
  });
});
