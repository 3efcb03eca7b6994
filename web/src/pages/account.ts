// Sign in, register, and the signed-in user's own details (an admin needs the id to promote someone).
import { users } from "../client";
import { field, h, show } from "../dom";
import { problemOf, showProblem } from "../problems";
import { navigate, type PageContext } from "../router";
import { currentUser, signIn } from "../session";

function nextPath(query: URLSearchParams): string {
  const next = query.get("next") ?? "/";
  // Only a path of this app: never an address elsewhere.
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

async function logIn(login: string, password: string): Promise<{ ok: true } | { ok: false; status: number; error: unknown }> {
  const credentials = login.includes("@") ? { email: login, password } : { username: login, password };
  const { data, error, response } = await users.POST("/login", { body: credentials });
  if (data === undefined) return { ok: false, status: response.status, error };
  signIn(data.access_token);
  return { ok: true };
}

export function signInPage({ main, query }: PageContext): void {
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "sign-in-heading" },
    field("Username or email", h("input", { name: "username", autocomplete: "username", required: true, maxlength: 254 })),
    field("Password", h("input", { name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 128 })),
    h("button", { type: "submit" }, "Sign in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = new FormData(form);
    const result = await logIn(String(values.get("username")).trim(), String(values.get("password")));
    if (!result.ok) {
      const problem = problemOf(result.status, result.error);
      if (result.status === 401) problem.message = "Wrong username or password.";
      showProblem(form, problem);
      return;
    }
    navigate(nextPath(query), { replace: true });
  });
  show(
    main,
    h("h1", { id: "sign-in-heading" }, "Sign in"),
    query.has("expired") ? h("p", { class: "alert", role: "alert" }, "Your session has ended; sign in again.") : null,
    form,
    h("p", {}, "New here? ", h("a", { href: `/sign-up?${query}` }, "Create an account")),
  );
  (form.querySelector("input") as HTMLInputElement).focus();
}

export function signUpPage({ main, query }: PageContext): void {
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "sign-up-heading" },
    field("Username", h("input", { name: "username", autocomplete: "username", maxlength: 50 })),
    field("Email", h("input", { name: "email", type: "email", autocomplete: "email", maxlength: 254 })),
    field("Full name", h("input", { name: "full_name", autocomplete: "name", maxlength: 200 })),
    field("Password", h("input", { name: "password", type: "password", autocomplete: "new-password", maxlength: 128 }), "At least 8 characters."),
    h("button", { type: "submit" }, "Create account"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries([...new FormData(form)].map(([name, value]) => [name, String(value)]));
    const body = { username: values.username, email: values.email, full_name: values.full_name, password: values.password };
    const { error, response } = await users.POST("/register", { body });
    if (!response.ok) {
      const problem = problemOf(response.status, error);
      if (response.status === 409) problem.message = "That username or email is taken.";
      showProblem(form, problem);
      return;
    }
    const result = await logIn(body.username, body.password);
    navigate(result.ok ? nextPath(query) : "/sign-in", { replace: true });
  });
  show(main, h("h1", { id: "sign-up-heading" }, "Create an account"), form);
}

export function accountPage({ main }: PageContext): void {
  const user = currentUser();
  if (user === null) return;
  show(
    main,
    h("h1", {}, "My account"),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Username"),
      h("dd", {}, user.username),
      h("dt", {}, "User id"),
      h("dd", {}, h("code", { "data-user-id": "" }, user.id)),
      h("dt", {}, "Roles"),
      h("dd", {}, user.roles.join(", ")),
      h("dt", {}, "Session ends"),
      h("dd", {}, new Date(user.expiresAt).toLocaleString()),
    ),
    h("p", { class: "muted" }, "An admin needs your user id to make you an organizer."),
  );
}
