// What went wrong, for people: an API error becomes a message, and a 422 a message next to its field.
import { h } from "./dom";

export interface Problem {
  message: string;
  fields: Record<string, string>;
}

interface ValidationItem {
  loc: (string | number)[];
  msg: string;
}

function fieldName(loc: (string | number)[]): string {
  // ["body", "items", 0, "quantity"] -> "items.0.quantity": the name of the input that sent it.
  const [where, ...rest] = loc;
  return (["body", "query", "path", "header"].includes(String(where)) ? rest : loc).join(".");
}

/** Returns the readable message of an error answer (`status`, JSON `body`). */
export function problemOf(status: number, body: unknown): Problem {
  const answer = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const detail = answer.detail;
  const fields: Record<string, string> = {};
  if (Array.isArray(detail)) {
    for (const item of detail as ValidationItem[]) fields[fieldName(item.loc)] = item.msg;
    return { message: "Some fields need a change.", fields };
  }
  const text = typeof detail === "string" ? detail : "";
  if (typeof answer.field === "string") fields[answer.field] = text;
  switch (status) {
    case 402:
      return { message: `Card declined. ${text}`.trim(), fields };
    case 409:
      if (answer.reason === "sold_out") return { message: `Sold out. ${text}`.trim(), fields };
      return { message: text || "That conflicts with the current state; reload and try again.", fields };
    case 401:
      return { message: text || "Please sign in again.", fields };
    case 422:
      return { message: Object.keys(fields).length ? "Some fields need a change." : text, fields };
    case 429:
      return { message: text || "Too many attempts; wait a minute and try again.", fields };
    default:
      return { message: text || `The request failed (HTTP ${status}); try again shortly.`, fields };
  }
}

/** Shows `problem` in `form`: each field's message beside it, the rest in the form's alert. */
export function showProblem(form: HTMLElement, problem: Problem | null): void {
  for (const error of form.querySelectorAll<HTMLElement>("[data-error-for]")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  const alert = alertOf(form);
  alert.hidden = problem === null;
  alert.textContent = "";
  if (problem === null) return;
  const unplaced: string[] = [];
  for (const [name, message] of Object.entries(problem.fields)) {
    const error = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
    if (error === null) {
      unplaced.push(`${name}: ${message}`);
      continue;
    }
    error.textContent = message;
    error.hidden = false;
    form.querySelector(`[name="${CSS.escape(name)}"]`)?.setAttribute("aria-invalid", "true");
  }
  alert.textContent = [problem.message, ...unplaced].join(" ");
  const firstInvalid = form.querySelector<HTMLElement>("[aria-invalid]");
  (firstInvalid ?? alert).focus();
}

/** The form's alert box, made on first use. */
export function alertOf(form: HTMLElement): HTMLElement {
  let alert = form.querySelector<HTMLElement>(":scope > .alert");
  if (alert === null) {
    alert = h("p", { class: "alert", role: "alert", tabindex: "-1", hidden: true });
    form.prepend(alert);
  }
  return alert;
}
