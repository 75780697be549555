import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Path or query parameters checked by their route schema: a 400 naming the first problem. */
export function valid<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequestException(result.error.issues[0]?.message ?? 'invalid parameter');
  return result.data;
}

/** A request body checked by its schema: a 400 listing every problem, each naming its field. */
export function validBody<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new BadRequestException(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
    );
  return result.data;
}
