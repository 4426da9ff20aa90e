/**
 * What the facade accepts of a request before any route sees it: a query string that is UTF-8, and
 * a JSON body that is UTF-8 (RFC 8259 §8.1, RFC 7644 §3.1), within the size limit. Text that is not
 * UTF-8 is refused rather than decoded with U+FFFD in place of the bad bytes, which would store or
 * look up a value the client never sent.
 */
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type Koa from 'koa';
import { ScimError } from './errors.js';

const METHODS_WITH_BODY: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
// application/json, application/scim+json and any other +json type (RFC 6839 §3.1).
const JSON_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/;
// RFC 8259 §2: JSON text is any value, but a SCIM message is an object (arrays get a clear 400 later).
const STRICT_START = /^[ \t\n\r]*[[{]/;

/** A media type and its parameters (names lower-cased, values unquoted), per RFC 9110 §8.3.1. */
export function parseMediaType(header: string): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = header.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (name) params[name] = value;
  }
  return { type: type.trim().toLowerCase(), params };
}

/** 400 when a query parameter's percent-encoded bytes are not UTF-8 (invalidFilter for `filter`). */
export const utf8Query: Koa.Middleware = async (ctx, next) => {
  const qs = ctx.querystring;
  if (qs.includes('%')) {
    for (const pair of qs.split('&')) {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (isUtf8(percentDecode(pair))) continue;
      const decodedName = percentDecode(name).toString('utf8');
      const scimType = decodedName.toLowerCase() === 'filter' ? 'invalidFilter' : 'invalidValue';
      throw new ScimError(400, `The query parameter ${JSON.stringify(decodedName)} is not percent-encoded UTF-8.`, scimType);
    }
  }
  await next();
};

/** The bytes a query component stands for: `%XX` decoded, `+` a space, a stray `%` kept as is. */
function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === 0x25 && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1], raw[i + 2]), 16));
      i += 2;
    } else bytes.push(b === 0x2b ? 0x20 : b);
  }
  return Buffer.from(bytes);
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a JSON request body into `ctx.request.body` for POST, PUT and PATCH. Other media types are
 * left unread (the route answers 415); a charset other than UTF-8 is a 415; more than `limit` bytes
 * (after Content-Encoding) a 413; bytes that are not UTF-8, or text that is not a JSON object or
 * array, a 400 invalidSyntax.
 */
export function jsonBodyParser(limit: number): Koa.Middleware {
  return async (ctx, next) => {
    const request = ctx.request as { body?: unknown };
    if (!METHODS_WITH_BODY.has(ctx.method) || request.body !== undefined) {
      await next();
      return;
    }
    const header = ctx.get('content-type');
    const { type, params } = parseMediaType(header);
    if (!JSON_TYPE.test(type)) {
      await next();
      return;
    }
    const charset = params['charset'];
    if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
      throw new ScimError(415, `Send the body as UTF-8 JSON (charset=utf-8), not charset=${charset}.`, 'invalidSyntax');
    }
    const bytes = await readBody(ctx, limit);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new ScimError(400, 'The request body is not valid UTF-8.', 'invalidSyntax');
    }
    request.body = parseJson(text);
    await next();
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  if (!STRICT_START.test(text)) throw new ScimError(400, 'The request body must be a JSON object.', 'invalidSyntax');
  try {
    // A "__proto__" member is refused: merged into an object later, it would change its prototype.
    // Only a text that could name it (literally, or through a \u escape) is parsed with the reviver
    // that looks for it: a reviver visits every value and takes V8 off its fast path, which made
    // parsing a 10,000-member PUT /Groups body several times slower.
    if (!text.includes('__proto__') && !text.includes('\\u')) return JSON.parse(text);
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('forbidden member name "__proto__"');
      return value;
    });
  } catch (err) {
    const reason = err instanceof Error ? `: ${err.message}` : '';
    throw new ScimError(400, `The request body is not valid JSON${reason}.`, 'invalidSyntax');
  }
}

/** The body's bytes after Content-Encoding (identity, gzip, deflate), at most `limit` of them. */
function readBody(ctx: Koa.Context, limit: number): Promise<Buffer> {
  const encoding = (ctx.get('content-encoding') || 'identity').trim().toLowerCase();
  const declared = ctx.get('content-length');
  if (encoding === 'identity' && declared && Number(declared) > limit) return Promise.reject(tooLarge());
  const req = ctx.req;
  let stream: Readable;
  if (encoding === 'identity') stream = req;
  else if (encoding === 'gzip' || encoding === 'x-gzip') stream = req.pipe(createGunzip());
  else if (encoding === 'deflate') stream = req.pipe(createInflate());
  else return Promise.reject(new ScimError(415, `Content-Encoding ${JSON.stringify(encoding)} is not supported; send identity, gzip or deflate.`));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      req.off('close', onClose);
      if (stream !== req) {
        req.unpipe();
        stream.destroy();
      }
    };
    const fail = (err: ScimError) => {
      cleanup();
      // The rest of the body is not read: the connection closes after the answer (as raw-body does).
      req.pause();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (encoding === 'identity' && declared && Number(declared) !== size) {
        return reject(new ScimError(400, 'The request body does not match its Content-Length.', 'invalidSyntax'));
      }
      resolve(Buffer.concat(chunks, size));
    };
    // A broken gzip stream or a client that went away: the request, not the server, is at fault.
    const onError = () => fail(new ScimError(400, 'The request body could not be read.', 'invalidSyntax', { Connection: 'close' }));
    const onClose = () => {
      if (!req.complete) onError();
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(): ScimError {
  return new ScimError(413, 'The request body is larger than this server accepts.', undefined, { Connection: 'close' });
}
