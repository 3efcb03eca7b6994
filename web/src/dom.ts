// Building the page from elements, never from HTML strings: text from the API can hold no markup.

type Attributes = Record<string, string | number | boolean | EventListener | undefined | null>;
export type Child = Node | string | number | null | undefined | false;

/** Returns a new element: `on<event>` attributes become listeners, `true` a bare attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

let fieldCount = 0;

/** Returns a labelled form control: the label names it, and its error (by `name`) shows beside it. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLElement {
  const id = control.id || `field-${++fieldCount}`;
  control.id = id;
  const error = h("p", { class: "field-error", id: `${id}-error`, "data-error-for": control.name, hidden: true });
  control.setAttribute("aria-describedby", `${id}-error`);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { class: "hint" }, hint) : null,
    error,
  );
}

/** Replaces what `main` shows with `children` (null, undefined and false are left out). */
export function show(main: HTMLElement, ...children: Child[]): void {
  const shown: (Node | string)[] = [];
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    shown.push(child instanceof Node ? child : String(child));
  }
  main.replaceChildren(...shown);
}
