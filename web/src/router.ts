// A tiny history router. App paths never start like an API path (/events, /bookings, ...): the
// server sends every other path to index.html (tests/web/test_routing.py checks both tables).
import { currentUser, hasRole } from "./session";

export type Cleanup = () => void;
export interface PageContext {
  main: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
}
export type Page = (context: PageContext) => void | Cleanup | Promise<void | Cleanup>;

interface Route {
  pattern: RegExp;
  keys: string[];
  page: Page;
  roles?: string[]; // signed in with one of these roles; [] for any signed-in user
}

const routes: Route[] = [];
let cleanup: Cleanup | null = null;
let notFound: Page = () => undefined;

/** Adds a route: `path` like `/event/:id`. */
export function route(path: string, page: Page, roles?: string[]): void {
  const keys: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, key: string) => {
    keys.push(key);
    return "([^/]+)";
  });
  routes.push({ pattern: new RegExp(`^${source}$`), keys, page, roles });
}

export function fallback(page: Page): void {
  notFound = page;
}

/** Goes to `path` (with its query) as a link would. */
export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  void render().then(focusPage);
}

/** After a move within the app, the focus goes to the new page (as a load would), unless it chose a field. */
function focusPage(): void {
  const host = document.getElementById("main") as HTMLElement;
  if (!host.contains(document.activeElement)) host.focus();
}

export async function render(): Promise<void> {
  cleanup?.();
  cleanup = null;
  // Each page draws into an element of its own: one still loading when the user moves on draws
  // into a detached element, never over the page that replaced it.
  const main = document.createElement("div");
  (document.getElementById("main") as HTMLElement).replaceChildren(main);
  const query = new URLSearchParams(location.search);
  for (const { pattern, keys, page, roles } of routes) {
    const match = pattern.exec(location.pathname);
    if (match === null) continue;
    if (roles !== undefined && (currentUser() === null || (roles.length > 0 && !hasRole(...roles)))) {
      const next = location.pathname + location.search;
      navigate(`/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
      return;
    }
    const params = Object.fromEntries(keys.map((key, index) => [key, decodeURIComponent(match[index + 1])]));
    const result = await page({ main, params, query });
    cleanup = result ?? null;
    return;
  }
  await notFound({ main, params: {}, query });
}

/** Follows same-origin links without reloading the page. */
export function start(): void {
  document.addEventListener("click", (event) => {
    const link = (event.target as Element).closest?.("a");
    if (
      link === null ||
      link === undefined ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      link.target ||
      link.hasAttribute("download") ||
      link.origin !== location.origin ||
      link.hash
    ) {
      return;
    }
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
  window.addEventListener("popstate", () => void render().then(focusPage));
  void render();
}
