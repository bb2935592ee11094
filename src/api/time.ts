// The API accepts any ISO-8601 date-time with an offset; everything behind it speaks UTC with milliseconds.
export function toUtcIso(value: string): string {
  return new Date(value).toISOString();
}
