import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Path or query parameters checked by their route schema: a 400 naming the first problem. */
export function valid<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequestException(result.error.issues[0]?.message ?? 'invalid parameter');
  return result.data;
}
