/** The enterprise extension (RFC 7643 §4.3). */
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The product extension that Okta admins map staticIp and macAddress into. */
export const PRODUCT_URN = 'urn:ietf:params:scim:schemas:extension:querypie:2.0:User';
