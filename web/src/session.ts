// Who is signed in: the access token lives in memory and in sessionStorage (this tab only, gone with
// it), never in a cookie, so no other site's request ever carries it.

const STORAGE_KEY = "event-platform.token";

export interface User {
  id: string;
  username: string;
  roles: string[];
  expiresAt: number; // milliseconds since the epoch
}

let token: string | null = null;
let user: User | null = null;
const listeners = new Set<() => void>();

function decode(jwt: string): User | null {
  try {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(payload));
    return { id: claims.sub, username: claims.username, roles: claims.roles ?? [], expiresAt: claims.exp * 1000 };
  } catch {
    return null;
  }
}

function changed(): void {
  for (const listener of listeners) listener();
}

/** Keeps `jwt` as the session's token. */
export function signIn(jwt: string): void {
  const decoded = decode(jwt);
  if (decoded === null) return;
  token = jwt;
  user = decoded;
  sessionStorage.setItem(STORAGE_KEY, jwt);
  changed();
}

/** Forgets the token (signed out, or the API said it is no longer good). */
export function signOut(): void {
  token = null;
  user = null;
  sessionStorage.removeItem(STORAGE_KEY);
  changed();
}

/** The token while it is still valid, else null. */
export function currentToken(): string | null {
  if (user !== null && user.expiresAt <= Date.now()) signOut();
  return token;
}

export function currentUser(): User | null {
  return currentToken() === null ? null : user;
}

export function hasRole(...roles: string[]): boolean {
  const roleSet = currentUser()?.roles ?? [];
  return roles.some((role) => roleSet.includes(role));
}

/** Calls `listener` whenever someone signs in or out; returns the way to stop. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Picks up this tab's token after a reload. */
export function restore(): void {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored !== null) signIn(stored);
  currentToken();
}
