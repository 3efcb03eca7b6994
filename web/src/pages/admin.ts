// Admins: give a user their roles (e.g. make an attendee an organizer).
import { users } from "../client";
import { field, h, show } from "../dom";
import { problemOf, showProblem } from "../problems";
import type { PageContext } from "../router";

const ROLES = ["attendee", "organizer", "admin"] as const;

export function adminPage({ main }: PageContext): void {
  const result = h("p", { role: "status" });
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "roles-heading" },
    field("User id", h("input", { name: "user_id", autocomplete: "off", maxlength: 64 }), "The user finds it under My account."),
    h(
      "fieldset",
      {},
      h("legend", {}, "Roles"),
      ROLES.map((role) =>
        h("label", { class: "check" }, h("input", { type: "checkbox", name: "roles", value: role, checked: role === "organizer" }), role),
      ),
      h("p", { class: "field-error", "data-error-for": "roles", hidden: true }),
    ),
    h("button", { type: "submit" }, "Set roles"),
  );
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    result.textContent = "";
    const values = new FormData(form);
    const userId = String(values.get("user_id") ?? "").trim();
    if (userId === "") return showProblem(form, { message: "Some fields need a change.", fields: { user_id: "Enter a user id." } });
    const { data, error, response } = await users.PATCH("/users/{user_id}/roles", {
      params: { path: { user_id: userId } },
      body: { roles: values.getAll("roles").map(String) as (typeof ROLES)[number][] },
    });
    if (data === undefined) {
      const problem = problemOf(response.status, error);
      if (response.status === 404) problem.fields.user_id = "No user has this id.";
      return showProblem(form, problem);
    }
    showProblem(form, null);
    result.textContent = `${data.username} now has the roles: ${data.roles.join(", ")}.`;
  });
  show(main, h("h1", { id: "roles-heading" }, "Roles"), form, result);
}
