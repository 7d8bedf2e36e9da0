import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export type ComponentStatus = 'up' | 'down';

export class ComponentHealth {
  @ApiProperty({ enum: ['up', 'down'] }) status: ComponentStatus;
  @ApiPropertyOptional() latencyMs?: number;
  @ApiPropertyOptional({ description: 'Live replicas (services only)' }) replicas?: number;
  @ApiPropertyOptional() error?: string;
}

// ComponentHealth is declared as an extra model so that the $ref below resolves in the document.
@ApiExtraModels(ComponentHealth)
export class HealthReport {
  @ApiProperty({ enum: ['up', 'down'] }) status: ComponentStatus;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ComponentHealth) } })
  components: Record<string, ComponentHealth>;
}

/** Runs one probe with a time limit; a probe that throws or is too slow reports `down`. */
export async function probe(run: () => Promise<Partial<ComponentHealth> | void>, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const extra = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10, ...(extra ?? {}) };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function overall(components: Record<string, ComponentHealth>): HealthReport {
  const status = Object.values(components).every((c) => c.status === 'up') ? 'up' : 'down';
  return { status, checkedAt: new Date().toISOString(), components };
}
