import { ArgumentMetadata } from '@nestjs/common';
import { ValidationFailedError } from '@procura/errors';
import { IsOptional, IsString } from 'class-validator';
import { inspectInput } from './input-inspection';
import { createValidationPipe } from './validation';

class ResetDto {
  @IsOptional() @IsString() note?: string;
}

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe(inspectInput.name, () => {
  it('accepts ordinary input, accents, emoji and line breaks included', () => {
    expect(inspectInput({ items: [{ kind: 'USER_CREATE', payload: { firstName: 'Zoé 🎉', note: 'line 1\nline 2' } }] }, '')).toEqual([]);
    expect(inspectInput(nested(32), '')).toEqual([]);
  });

  it('refuses nesting deeper than 32 levels without recursing (5,000 nested arrays)', () => {
    expect(inspectInput(nested(33), '')).toEqual([
      { field: 'body' + '[0]'.repeat(32), messages: [expect.stringMatching(/deeper than 32/)] },
    ]);
    expect(inspectInput(nested(5000), '')).toHaveLength(1);
    expect(inspectInput({ a: { b: nested(40) } }, '')[0].field).toBe('a.b' + '[0]'.repeat(30));
  });

  it('names the field of a NUL, a lone surrogate or a bidi override, in values and keys', () => {
    const problems = inspectInput({ items: [{ payload: { lastName: 'Dupont\u0000' } }, { label: 'x\uD800' }], ['a\u0000']: 1 }, '');
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'items[0].payload.lastName', messages: ['items[0].payload.lastName must not contain NUL characters'] },
        { field: 'items[1].label', messages: [expect.stringMatching(/unpaired UTF-16 surrogates/)] },
        { field: 'body', messages: ['body has a key that must not contain NUL characters'] },
      ]),
    );
    expect(inspectInput('%00\u0000', 'action')).toEqual([{ field: 'action', messages: ['action must not contain NUL characters'] }]);
    expect(inspectInput({ 'odd key': 'a\u202Eb' }, '')[0].field).toBe('["odd key"]');
  });

  it('reports a bounded number of problems however many there are', () => {
    expect(
      inspectInput(
        Array.from({ length: 10_000 }, () => '\u0000'),
        '',
      ).length,
    ).toBeLessThanOrEqual(20);
  });
});

describe('the validation pipe of every route and message pattern', () => {
  const pipe = createValidationPipe();
  const body: ArgumentMetadata = { type: 'body', metatype: ResetDto };
  const refusal = async (value: unknown, metadata = body) => {
    try {
      await pipe.transform(value, metadata);
    } catch (error) {
      return error instanceof ValidationFailedError ? error.fields : error;
    }
    return 'accepted';
  };

  it('refuses a body that is null, an array or a scalar where an object is expected (null once reset a credential)', async () => {
    expect(await refusal(null)).toEqual([{ field: 'body', messages: ['body must be a JSON object'] }]);
    expect(await refusal([])).toEqual([{ field: 'body', messages: ['body must be a JSON object'] }]);
    expect(await refusal(42)).toEqual([{ field: 'body', messages: ['body must be a JSON object'] }]);
    expect(await refusal(undefined)).toBe('accepted');
    expect(await refusal({ note: 'ok' })).toBe('accepted');
  });

  it('refuses a deep body with 400 before class-transformer, which overflowed the stack on it', async () => {
    expect(await refusal({ note: nested(5000) })).toEqual([
      { field: expect.stringMatching(/^note(\[0\]){31}$/), messages: [expect.stringMatching(/deeper than 32/)] },
    ]);
  });

  it('checks queries, path parameters and RPC payloads too, but not what the actor decorators give', async () => {
    expect(await refusal('\u0000', { type: 'query', metatype: String, data: 'action' })).toEqual([
      { field: 'action', messages: ['action must not contain NUL characters'] },
    ]);
    expect(await refusal('a\uDC00', { type: 'param', metatype: String, data: 'userId' })).toEqual([
      { field: 'userId', messages: [expect.stringMatching(/surrogates/)] },
    ]);
    expect(await refusal({ note: '\u0000' }, { type: 3 as unknown as 'body', metatype: ResetDto })).toEqual([
      { field: 'note', messages: ['note must not contain NUL characters'] },
    ]);
    expect(await refusal({ name: '\u0000' }, { type: 'custom', metatype: Object })).toBe('accepted');
  });
});
