// The app: routes, the navigation bar, the session, and live alerts as toasts.
import "./styles.css";
import { SESSION_EXPIRED } from "./client";
import { h } from "./dom";
import { onNotification, onUnread, startLive, stopLive } from "./live";
import { accountPage, signInPage, signUpPage } from "./pages/account";
import { adminPage } from "./pages/admin";
import { attendeesPage } from "./pages/attendees";
import { bookingsPage } from "./pages/bookings";
import { checkinPage } from "./pages/checkin";
import { dashboardPage } from "./pages/dashboard";
import { doorPage } from "./pages/door";
import { eventPage } from "./pages/event";
import { eventsPage } from "./pages/events";
import { inboxPage } from "./pages/inbox";
import { editEventPage, myEventsPage, newEventPage } from "./pages/organize";
import { ticketsPage } from "./pages/tickets";
import { waitingPage } from "./pages/waiting";
import { fallback, navigate, route, start, type Page } from "./router";
import { currentUser, hasRole, onSessionChange, restore, signOut } from "./session";
import { toast } from "./toasts";

const SIGNED_IN: string[] = [];
const ORGANIZERS = ["organizer", "admin"];

/** A page whose module is fetched on its first visit. */
function later(load: () => Promise<Page>): Page {
  return async (context) => (await load())(context);
}

// App paths: none may start like an API path (see web/proxy.json and tests/web/test_routing.py).
route("/", eventsPage);
route("/event/:id", eventPage);
route("/sign-in", signInPage);
route("/sign-up", signUpPage);
route("/my/account", accountPage, SIGNED_IN);
route("/my/bookings", bookingsPage, SIGNED_IN);
route("/my/bookings/:id/tickets", ticketsPage, SIGNED_IN);
route("/my/inbox", inboxPage, SIGNED_IN);
route("/my/waiting-list", waitingPage, SIGNED_IN);
route("/organize", myEventsPage, ORGANIZERS);
// Webhook pages load when first opened: few people use them, and the first page stays small.
route("/organize/webhooks", later(() => import("./pages/webhooks").then((page) => page.webhooksPage)), ORGANIZERS);
route("/organize/webhooks/:id", later(() => import("./pages/webhook").then((page) => page.webhookPage)), ORGANIZERS);
route("/organize/webhooks/:id/deliveries", later(() => import("./pages/deliveries").then((page) => page.deliveriesPage)), ORGANIZERS);
route("/organize/new", newEventPage, ORGANIZERS);
route("/organize/:id", editEventPage, ORGANIZERS);
route("/organize/:id/dashboard", dashboardPage, ORGANIZERS);
route("/organize/:id/checkin", checkinPage, ORGANIZERS);
route("/organize/:id/checkin/:list", attendeesPage, ORGANIZERS);
// Door staff need no role: the check-in service says whether they may scan at this list.
route("/door/:id", doorPage, SIGNED_IN);
route("/admin", adminPage, ["admin"]);
fallback(({ main }) => {
  main.replaceChildren(h("h1", {}, "Page not found"), h("p", {}, h("a", { href: "/" }, "All events")));
});

const unreadBadge = h("span", { class: "badge", "data-unread": "0" }, "0");
onUnread((count) => {
  unreadBadge.textContent = String(count);
  unreadBadge.dataset.unread = String(count);
  unreadBadge.hidden = count === 0;
});

function renderNav(): void {
  const nav = document.getElementById("nav") as HTMLElement;
  const user = currentUser();
  const link = (href: string, ...label: (string | Node)[]) => h("a", { href }, ...label);
  if (user === null) {
    nav.replaceChildren(link("/", "Events"), link("/sign-in", "Sign in"), link("/sign-up", "Register"));
    return;
  }
  const signOutButton = h("button", { type: "button", class: "link" }, `Sign out ${user.username}`);
  signOutButton.addEventListener("click", () => {
    signOut();
    navigate("/");
  });
  nav.replaceChildren(
    link("/", "Events"),
    link("/my/bookings", "My bookings"),
    link("/my/waiting-list", "Waiting list"),
    h("a", { href: "/my/inbox" }, "Inbox ", unreadBadge),
    hasRole(...ORGANIZERS) ? link("/organize", "Organize") : "",
    hasRole("admin") ? link("/admin", "Admin") : "",
    link("/my/account", "Account"),
    signOutButton,
  );
}

let liveFor: string | null = null;
function followSession(): void {
  renderNav();
  const user = currentUser();
  if ((user?.id ?? null) === liveFor) return;
  liveFor = user?.id ?? null;
  if (user === null) stopLive();
  else void startLive();
}

onSessionChange(followSession);
onNotification((notification) => toast(notification.title, notification.body));
window.addEventListener(SESSION_EXPIRED, () => {
  if (location.pathname === "/sign-in") return;
  const next = location.pathname + location.search;
  navigate(`/sign-in?expired=1&next=${encodeURIComponent(next)}`, { replace: true });
});

restore();
followSession();
start();
