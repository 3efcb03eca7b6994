// One typed client per service, all on this origin (the gateway or the preview server routes each path).
import createClient, { type Middleware } from "openapi-fetch";
import type { paths as BookingPaths } from "./api/booking_service";
import type { paths as CheckinPaths } from "./api/checkin_service";
import type { paths as EventPaths } from "./api/event_service";
import type { paths as NotificationPaths } from "./api/notification_service";
import type { paths as PaymentPaths } from "./api/payment_service";
import type { paths as UserPaths } from "./api/user_service";
import { currentToken, signOut } from "./session";

export const SESSION_EXPIRED = "session-expired";

const auth: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token !== null) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    // A token the API no longer accepts (expired, or its key rotated), or none left to send: ask to
    // sign in again. A 401 from /login itself is a wrong password, for the sign-in page to say.
    if (response.status === 401 && new URL(request.url).pathname !== "/login") {
      signOut();
      window.dispatchEvent(new Event(SESSION_EXPIRED));
    }
    return response;
  },
};

function client<Paths extends {}>() {
  const created = createClient<Paths>({ baseUrl: window.location.origin });
  created.use(auth);
  return created;
}

export const users = client<UserPaths>();
export const events = client<EventPaths>();
export const bookings = client<BookingPaths>();
export const payments = client<PaymentPaths>();
export const notifications = client<NotificationPaths>();
export const checkin = client<CheckinPaths>();
