// Building DOM for the health view. Everything upstream wrote (receiver bodies, URLs, names, ids) goes in as
// text nodes or plain attribute values through these helpers: there is no innerHTML anywhere in the view.

export type Child = Node | string | number | undefined | null | false;

type Attributes = Record<string, string | number | boolean | undefined>;

function setAttributes(node: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    // Event handlers and URLs never come from here: the view sets no on*, href or src from data.
    if (/^on/i.test(name) || name === "href" || name === "src") throw new Error(`refusing attribute ${name}`);
    node.setAttribute(name, value === true ? "" : String(value));
  }
}

function appendChildren(node: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    // A string becomes a text node: markup in it stays text.
    node.append(typeof child === "number" ? String(child) : child);
  }
}

/** An HTML element with attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  appendChildren(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element, likewise. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attributes);
  appendChildren(node, children);
  return node;
}

/** A button that runs `action` on click (and so on Enter and Space: it is a real button). */
export function button(label: string, action: () => void, attributes: Attributes = {}): HTMLButtonElement {
  const node = h("button", { type: "button", ...attributes }, label);
  node.addEventListener("click", action);
  return node;
}
