import { SamlRefusal } from './errors.js';
import type { SpSettings } from './sp-metadata.js';
import { attribute, childElement, childElements, hasDoctype, NS, parseXml, text, type XmlElement } from './xml.js';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** What the assertion must match. */
export interface AssertionExpectations {
  idpEntityId: string;
  sp: SpSettings;
  clockSkewMs: number;
}

/** The four attribute statements the Roster app in the IdP sends (DESIGN §9), first value of each. */
export interface SamlProfileAttributes {
  firstName?: string;
  lastName?: string;
  email?: string;
  loginId?: string;
}

/** An assertion that passed every check, as read from its signed XML. */
export interface CheckedAssertion {
  assertionId: string;
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  /** The signed SubjectConfirmationData@InResponseTo: absent when the login was IdP-initiated. */
  inResponseTo?: string;
  /** The earliest NotOnOrAfter of the Conditions and the subject confirmation. */
  notOnOrAfter: Date;
  attributes: SamlProfileAttributes;
  /** Every attribute by Name, all values, in document order. */
  rawAttributes: Record<string, string[]>;
}

/**
 * The checks node-saml leaves to its caller (issuer, recipient, subject-confirmation times), plus the ones it
 * does (conditions times, audience) done again here so that they can be tested with `now` injected.
 * `assertionXml` must be the assertion as the signature verified it (node-saml's `profile.getAssertionXml()`),
 * never anything read from the POST. Throws SamlRefusal.
 */
export function checkVerifiedAssertion(assertionXml: string, expected: AssertionExpectations, now: Date): CheckedAssertion {
  if (hasDoctype(assertionXml)) throw new SamlRefusal('doctype', 'the assertion contains a DOCTYPE or ENTITY declaration');
  let assertion: XmlElement;
  try {
    assertion = parseXml(assertionXml).documentElement;
  } catch (error) {
    throw new SamlRefusal('malformed', `the signed assertion is not well-formed XML: ${(error as Error).message}`);
  }
  if (assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion') throw new SamlRefusal('malformed', `the signed element is ${assertion.tagName}, not a saml:Assertion`);
  const assertionId = attribute(assertion, 'ID');
  if (!assertionId) throw new SamlRefusal('malformed', 'the assertion has no ID');

  const issuer = text(childElement(assertion, NS.assertion, 'Issuer'));
  if (issuer !== expected.idpEntityId) throw new SamlRefusal('issuer', `assertion Issuer ${JSON.stringify(issuer ?? null)} is not the IdP's entity ID ${JSON.stringify(expected.idpEntityId)}`);

  const window = new TimeWindow(now, expected.clockSkewMs);
  const conditions = childElements(assertion, NS.assertion, 'Conditions');
  if (conditions.length !== 1) throw new SamlRefusal('malformed', `the assertion has ${conditions.length} Conditions elements, not one`);
  window.check(conditions[0], 'Conditions');
  checkAudience(conditions[0], expected.sp.entityId);

  const subject = childElement(assertion, NS.assertion, 'Subject');
  const nameIdElement = subject && childElement(subject, NS.assertion, 'NameID');
  const nameId = text(nameIdElement);
  if (!subject || !nameIdElement || !nameId) throw new SamlRefusal('no_subject', 'the assertion has no Subject with a NameID');
  const confirmation = bearerConfirmationFor(subject, expected.sp.acsUrl, window);

  const notOnOrAfter = earliest(window.notOnOrAfter(conditions[0], 'Conditions'), window.notOnOrAfter(confirmation, 'SubjectConfirmationData'));
  // Without an end, an assertion could be replayed for ever and could never leave the replay cache.
  if (!notOnOrAfter) throw new SamlRefusal('malformed', 'the assertion has no NotOnOrAfter (neither in Conditions nor in SubjectConfirmationData)');

  const rawAttributes = readAttributes(assertion);
  const first = (name: string) => (Object.hasOwn(rawAttributes, name) ? rawAttributes[name].find((v) => v !== '') : undefined);
  const authn = childElement(assertion, NS.assertion, 'AuthnStatement');
  return {
    assertionId,
    issuer,
    nameId,
    nameIdFormat: attribute(nameIdElement, 'Format'),
    sessionIndex: authn && attribute(authn, 'SessionIndex'),
    inResponseTo: attribute(confirmation, 'InResponseTo'),
    notOnOrAfter,
    attributes: dropUndefined({ firstName: first('firstName'), lastName: first('lastName'), email: first('email'), loginId: first('loginId') }),
    rawAttributes,
  };
}

class TimeWindow {
  constructor(
    private readonly now: Date,
    private readonly skewMs: number,
  ) {}

  check(element: XmlElement, what: string): void {
    const notBefore = this.instant(element, 'NotBefore', what);
    const notOnOrAfter = this.instant(element, 'NotOnOrAfter', what);
    if (notBefore && this.now.getTime() + this.skewMs < notBefore.getTime()) {
      throw new SamlRefusal('not_yet_valid', `${what} NotBefore ${notBefore.toISOString()} is after now (${this.now.toISOString()}) plus ${this.skewMs} ms of clock skew`);
    }
    if (notOnOrAfter && this.now.getTime() - this.skewMs >= notOnOrAfter.getTime()) {
      throw new SamlRefusal('expired', `${what} NotOnOrAfter ${notOnOrAfter.toISOString()} has passed (now ${this.now.toISOString()}, ${this.skewMs} ms of clock skew allowed)`);
    }
  }

  notOnOrAfter(element: XmlElement, what: string): Date | undefined {
    return this.instant(element, 'NotOnOrAfter', what);
  }

  private instant(element: XmlElement, name: string, what: string): Date | undefined {
    const value = attribute(element, name);
    if (value === undefined) return undefined;
    // xs:dateTime as SAML requires it (UTC); Date.parse alone would also take "Tuesday" and local times.
    const time = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(time)) throw new SamlRefusal('malformed', `${what} ${name} ${JSON.stringify(value)} is not an xs:dateTime`);
    return new Date(time);
  }
}

/** Every AudienceRestriction must name us (SAML core 2.5.1.4: the restrictions are ANDed). */
function checkAudience(conditions: XmlElement, spEntityId: string): void {
  const restrictions = childElements(conditions, NS.assertion, 'AudienceRestriction');
  if (restrictions.length === 0) throw new SamlRefusal('audience', 'the assertion has no AudienceRestriction, so it could be meant for any SP');
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, NS.assertion, 'Audience').map((a) => text(a));
    if (!audiences.includes(spEntityId)) throw new SamlRefusal('audience', `Audience ${JSON.stringify(audiences)} does not include our entity ID ${JSON.stringify(spEntityId)}`);
  }
}

/** The bearer SubjectConfirmationData addressed to our ACS URL and valid now (Web SSO profile 4.1.4.3). */
function bearerConfirmationFor(subject: XmlElement, acsUrl: string, window: TimeWindow): XmlElement {
  const data = childElements(subject, NS.assertion, 'SubjectConfirmation')
    .filter((c) => attribute(c, 'Method') === BEARER)
    .flatMap((c) => childElements(c, NS.assertion, 'SubjectConfirmationData'));
  if (data.length === 0) throw new SamlRefusal('no_subject', 'the assertion has no bearer SubjectConfirmationData');
  const ours = data.filter((d) => attribute(d, 'Recipient') === acsUrl);
  if (ours.length === 0) {
    throw new SamlRefusal('recipient', `SubjectConfirmationData Recipient ${JSON.stringify(data.map((d) => attribute(d, 'Recipient') ?? null))} is not our ACS URL ${JSON.stringify(acsUrl)}`);
  }
  let firstRefusal: unknown;
  for (const candidate of ours) {
    try {
      window.check(candidate, 'SubjectConfirmationData');
      return candidate;
    } catch (refusal) {
      firstRefusal ??= refusal;
    }
  }
  throw firstRefusal;
}

function readAttributes(assertion: XmlElement): Record<string, string[]> {
  // A Map, then fromEntries: an attribute named "__proto__" becomes a plain key instead of a prototype.
  const attributes = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const element of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attribute(element, 'Name');
      if (!name) continue;
      const values = childElements(element, NS.assertion, 'AttributeValue').map((v) => (v.textContent ?? '').trim());
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  return Object.fromEntries(attributes);
}

function earliest(...dates: (Date | undefined)[]): Date | undefined {
  return dates.filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
