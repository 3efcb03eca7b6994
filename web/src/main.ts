// The app: routes, the navigation bar, the session, and live alerts as toasts.
import "./styles.css";
import { SESSION_EXPIRED } from "./client";
import { h } from "./dom";
import { onNotification, onUnread, startLive, stopLive } from "./live";
import { accountPage, signInPage, signUpPage } from "./pages/account";
import { adminPage } from "./pages/admin";
import { bookingsPage } from "./pages/bookings";
import { eventPage } from "./pages/event";
import { eventsPage } from "./pages/events";
import { inboxPage } from "./pages/inbox";
import { editEventPage, myEventsPage, newEventPage } from "./pages/organize";
import { ticketsPage } from "./pages/tickets";
import { fallback, navigate, route, start } from "./router";
import { currentUser, hasRole, onSessionChange, restore, signOut } from "./session";
import { toast } from "./toasts";

const SIGNED_IN: string[] = [];
const ORGANIZERS = ["organizer", "admin"];

// App paths: none may start like an API path (see web/proxy.json and tests/web/test_routing.py).
route("/", eventsPage);
route("/event/:id", eventPage);
route("/sign-in", signInPage);
route("/sign-up", signUpPage);
route("/my/account", accountPage, SIGNED_IN);
route("/my/bookings", bookingsPage, SIGNED_IN);
route("/my/bookings/:id/tickets", ticketsPage, SIGNED_IN);
route("/my/inbox", inboxPage, SIGNED_IN);
route("/organize", myEventsPage, ORGANIZERS);
route("/organize/new", newEventPage, ORGANIZERS);
route("/organize/:id", editEventPage, ORGANIZERS);
route("/admin", adminPage, ["admin"]);
// Later pages (the waiting list, the door's check-in page, the organizer's dashboard) are one module
// each under pages/, added here.
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
