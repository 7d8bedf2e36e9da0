import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, Min, validate, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { memoizeValidationMetadata } from './validation';

class Base {
  @IsString() id: string;
}

class Line {
  @IsInt() @Min(1) quantity: number;
}

class Order extends Base {
  @IsString() label: string;
  @ValidateNested({ each: true }) @Type(() => Line) lines: Line[];
}

const fieldsOf = async (value: object) =>
  (await validate(value, { whitelist: true, forbidNonWhitelisted: true })).map((e) => e.property).sort();

describe('memoized validation rules', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('finds the same rules as class-validator: own, inherited and nested', async () => {
    expect(await fieldsOf(plainToInstance(Order, { id: 1, label: 'x', lines: [{ quantity: 0 }] }))).toEqual(['id', 'lines']);
    expect(await fieldsOf(plainToInstance(Order, { id: 'a', label: 'x', lines: [{ quantity: 2 }] }))).toEqual([]);
    expect(await fieldsOf(plainToInstance(Order, { id: 'a', label: 'x', lines: [], extra: true }))).toEqual(['extra']);
  });

  it('answers repeated lookups from the cache, per class and options', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Order, '', false, false);
    expect(storage.getTargetValidationMetadatas(Order, '', false, false)).toBe(first);
    expect(first.map((m) => m.propertyName).sort()).toEqual(['id', 'label', 'lines']);
    expect(storage.getTargetValidationMetadatas(Order, '', false, false, ['g'])).not.toBe(first);
  });

  it('sees a rule registered after a lookup (a class decorated later)', async () => {
    class Late {
      @IsString() name: string;
    }
    expect(await fieldsOf(plainToInstance(Late, { name: 1 }))).toEqual(['name']);
    class Later extends Late {
      @IsInt() age: number;
    }
    expect(await fieldsOf(plainToInstance(Later, { name: 'a', age: 'x' }))).toEqual(['age']);
    IsInt()(Late.prototype, 'name');
    expect(await fieldsOf(plainToInstance(Late, { name: 'a' }))).toEqual(['name']);
  });
});
