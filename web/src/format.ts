// How amounts and times read: the API gives integer minor units and ISO instants; formatting is all we do.

const fractionDigits = new Map<string, number>();

function digitsOf(currency: string): number {
  let digits = fractionDigits.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    fractionDigits.set(currency, digits);
  }
  return digits;
}

/** `2500, "EUR"` -> `€25.00`. */
export function money(minorUnits: number, currency: string): string {
  const digits = digitsOf(currency);
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minorUnits / 10 ** digits);
}

/** An instant in the event's own time zone, e.g. `Fri, 12 Jun 2026, 19:00 CEST`. */
export function when(iso: string, timeZone?: string | null): string {
  // dateStyle and timeStyle cannot be combined with timeZoneName: the parts are named one by one.
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: timeZone ?? undefined,
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** Seconds as `m:ss`. */
export function countdown(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** A `datetime-local` input's value (the browser's time) as an ISO instant, or the reverse. */
export function toInstant(local: string): string {
  return new Date(local).toISOString();
}

export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const offset = date.getTimezoneOffset() * 60_000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}
