import { isValidElement, type ReactNode } from "react";

/**
 * The text of a server component's element tree, without rendering the components inside it, except those in
 * `renderInPlace`: server components without hooks (a page's own tabs, say), called with their props.
 */
export function textOf(node: ReactNode, renderInPlace: ReadonlySet<unknown> = new Set()): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map((child: ReactNode) => textOf(child, renderInPlace)).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) {
    if (renderInPlace.has(node.type)) {
      return textOf((node.type as (props: unknown) => ReactNode)(node.props), renderInPlace);
    }
    return textOf(node.props.children, renderInPlace);
  }
  return "";
}
