import { isUtf8 } from 'node:buffer';

export interface BodyProblem {
  status: 400 | 415;
  body: { error: string; message: string };
}

/** The media type without parameters, lower-cased ("" when the header is missing). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Checks of the request body before its events: the body parser only reads the types it knows, so a
 * body of another type would otherwise arrive empty and be answered "event_id is required"; and it
 * decodes invalid UTF-8 into U+FFFD silently, so the raw bytes are checked (a U+FFFD the producer
 * really sent is valid and passes).
 */
export function bodyProblem(
  contentType: string | undefined,
  accepted: readonly string[],
  rawBody: Buffer | undefined,
): BodyProblem | undefined {
  const type = mediaType(contentType);
  if (!accepted.includes(type))
    return {
      status: 415,
      body: {
        error: 'unsupported_media_type',
        message: `send content-type ${accepted.join(' or ')} (got ${type ? `"${type}"` : 'no content-type'})`,
      },
    };
  if (rawBody && !isUtf8(rawBody))
    return { status: 400, body: { error: 'invalid_utf8', message: 'the request body is not valid UTF-8' } };
  return undefined;
}
