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

/** Seconds as `m:ss`, or `h:mm:ss` from an hour up (an offer from the waiting list lasts hours). */
export function countdown(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const [hours, minutes, rest] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const two = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${two(minutes)}:${two(rest)}` : `${minutes}:${two(rest)}`;
}

/** The wall-clock parts of `instant` in `timeZone`, as milliseconds of a UTC date with the same parts. */
function wallClock(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((one) => one.type === type)?.value ?? 0);
  return Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
}

/** A `datetime-local` value read as the wall clock of `timeZone` (the event's), as an ISO instant. */
export function toInstant(local: string, timeZone: string): string {
  const asUtc = Date.parse(`${local}Z`);
  // The zone's offset at a first guess, then again at the answer: right across a change of offset.
  let instant = asUtc - (wallClock(asUtc, timeZone) - asUtc);
  instant = asUtc - (wallClock(instant, timeZone) - instant);
  return new Date(instant).toISOString();
}

/** An ISO instant as a `datetime-local` value on the wall clock of `timeZone`. */
export function toLocalInput(iso: string, timeZone: string): string {
  return new Date(wallClock(Date.parse(iso), timeZone)).toISOString().slice(0, 16);
}

/** Whether the browser knows `timeZone` as an IANA name. */
export function knownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}
