import { createRequire } from 'node:module';

/**
 * The few DOM members used here. xmldom's own typings pull TypeScript's DOM lib into the whole program (a
 * `/// <reference lib="dom" />`), which changes `fetch` and friends for every other file, so xmldom is
 * loaded untyped and described by these.
 */
export interface XmlNode {
  readonly nodeType: number;
  readonly firstChild: XmlNode | null;
  readonly nextSibling: XmlNode | null;
  readonly textContent: string | null;
}
export interface XmlElement extends XmlNode {
  readonly namespaceURI: string | null;
  readonly localName: string;
  readonly tagName: string;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XmlElement>;
}
export interface XmlDocument {
  readonly documentElement: XmlElement | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XmlElement>;
}
export type ParsedXml = XmlDocument & { readonly documentElement: XmlElement };
type ErrorHandler = (message: unknown) => void;
interface XmlDom {
  DOMParser: new (options: { locator: object; errorHandler: { warning: ErrorHandler; error: ErrorHandler; fatalError: ErrorHandler } }) => {
    parseFromString(xml: string, mimeType: string): XmlDocument;
  };
}
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as XmlDom;

export const NS = {
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/** A DTD is how entity-expansion and external-entity attacks get in, and no SAML message needs one. */
export function hasDoctype(xml: string): boolean {
  return /<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml);
}

/**
 * Parses XML strictly: xmldom otherwise recovers from errors, and reports an unclosed element only as a
 * warning, returning a partial tree. Callers refuse DOCTYPE first.
 */
export function parseXml(xml: string): ParsedXml {
  const fail = (message: unknown) => {
    throw new Error(String(message).replace(/\s+/g, ' ').trim());
  };
  const doc = new DOMParser({ locator: {}, errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(xml, 'text/xml');
  if (!doc?.documentElement) throw new Error('no root element');
  return doc as ParsedXml;
}

export function childElements(parent: XmlElement, ns: string, localName: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as XmlElement).namespaceURI === ns && (node as XmlElement).localName === localName) found.push(node as XmlElement);
  }
  return found;
}

export function childElement(parent: XmlElement, ns: string, localName: string): XmlElement | undefined {
  return childElements(parent, ns, localName)[0];
}

export function descendants(root: XmlDocument | XmlElement, ns: string, localName: string): XmlElement[] {
  return Array.from(root.getElementsByTagNameNS(ns, localName));
}

/** The attribute's value, or undefined when it is absent (xmldom answers '' for both). */
export function attribute(element: XmlElement, name: string): string | undefined {
  return element.hasAttribute(name) ? element.getAttribute(name)! : undefined;
}

export function text(element: XmlElement | undefined): string | undefined {
  const value = element?.textContent?.trim();
  return value ? value : undefined;
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
