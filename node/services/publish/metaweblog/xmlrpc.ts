/**
 * XML-RPC encoding and a small, tolerant decoder (Node has no DOMParser). The
 * decoder accepts what real servers send — leading whitespace or BOM, comments,
 * CDATA, `<value>` without a type, `i4`/`int`/`i8`, dates with or without dashes —
 * and throws {@link XmlRpcParseError} with a readable reason for anything else.
 */

/** A decoded XML-RPC value. */
export type XmlRpcValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | null
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

/** Marks a number that must be sent as `<double>` even when it is whole. */
export class XmlRpcDouble {
  constructor(readonly value: number) {}
}

/** What can be encoded: decoded values plus explicit doubles and undefined struct members (skipped). */
export type XmlRpcInput =
  | XmlRpcValue
  | XmlRpcDouble
  | XmlRpcInput[]
  | { [key: string]: XmlRpcInput | undefined };

/** The server answered with `<fault>`. */
export class XmlRpcFault extends Error {
  readonly faultCode: number;
  readonly faultString: string;

  constructor(faultCode: number, faultString: string) {
    super(`XML-RPC fault ${faultCode}: ${faultString}`);
    this.name = 'XmlRpcFault';
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

/** The reply is not a well-formed XML-RPC response. */
export class XmlRpcParseError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'XmlRpcParseError';
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `20210520T09:30:00`: the classic form every MetaWeblog server accepts, in UTC. */
function encodeDate(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`;
}

/** Encodes one value as `<value>…</value>`. */
export function encodeValue(value: XmlRpcInput): string {
  if (value === null) return '<value><nil/></value>';
  if (value instanceof XmlRpcDouble) return `<value><double>${value.value}</double></value>`;
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>`;
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= 0x7fffffff) return `<value><int>${value}</int></value>`;
    if (!Number.isFinite(value)) throw new RangeError(`XML-RPC cannot carry ${value}`);
    return `<value><double>${value}</double></value>`;
  }
  if (value instanceof Date) return `<value><dateTime.iso8601>${encodeDate(value)}</dateTime.iso8601></value>`;
  if (value instanceof Uint8Array) return `<value><base64>${Buffer.from(value).toString('base64')}</base64></value>`;
  if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(value)
    .filter((entry): entry is [string, XmlRpcInput] => entry[1] !== undefined)
    .map(([name, member]) => `<member><name>${escapeXml(name)}</name>${encodeValue(member)}</member>`);
  return `<value><struct>${members.join('')}</struct></value>`;
}

/** A complete `<methodCall>` document. */
export function encodeMethodCall(method: string, params: readonly XmlRpcInput[]): string {
  const encoded = params.map((param) => `<param>${encodeValue(param)}</param>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<methodCall><methodName>${escapeXml(method)}</methodName><params>${encoded}</params></methodCall>`;
}

/** A `<methodResponse>` (used by test servers and to round-trip in tests). */
export function encodeMethodResponse(value: XmlRpcInput): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>`;
}

/** A fault response. */
export function encodeFault(faultCode: number, faultString: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><fault>${encodeValue({ faultCode, faultString })}</fault></methodResponse>`;
}

interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return safeCodePoint(Number.parseInt(entity.slice(2), 16), whole);
    if (entity.startsWith('#')) return safeCodePoint(Number.parseInt(entity.slice(1), 10), whole);
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** Parses XML into elements; attributes are ignored (XML-RPC has none that matter). */
function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#root', children: [], text: '' };
  const stack: XmlElement[] = [root];
  let index = 0;
  const top = () => stack[stack.length - 1] as XmlElement;
  while (index < source.length) {
    const lt = source.indexOf('<', index);
    if (lt === -1) {
      top().text += decodeEntities(source.slice(index));
      break;
    }
    if (lt > index) top().text += decodeEntities(source.slice(index, lt));
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      if (end === -1) throw new XmlRpcParseError('unterminated comment');
      index = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt + 9);
      if (end === -1) throw new XmlRpcParseError('unterminated CDATA section');
      top().text += source.slice(lt + 9, end);
      index = end + 3;
    } else if (source.startsWith('<?', lt) || source.startsWith('<!', lt)) {
      const end = source.indexOf('>', lt);
      if (end === -1) throw new XmlRpcParseError('unterminated declaration');
      index = end + 1;
    } else {
      const end = source.indexOf('>', lt);
      if (end === -1) throw new XmlRpcParseError('unterminated tag');
      const tag = source.slice(lt + 1, end).trim();
      index = end + 1;
      if (tag.startsWith('/')) {
        const name = localName(tag.slice(1).trim());
        const open = top();
        if (stack.length === 1 || open.name !== name) {
          throw new XmlRpcParseError(`unexpected </${name}>${stack.length > 1 ? ` inside <${open.name}>` : ''}`);
        }
        stack.pop();
      } else {
        const selfClosing = tag.endsWith('/');
        const name = localName(tag.replace(/\/$/, '').trim().split(/\s+/)[0] ?? '');
        if (!name) throw new XmlRpcParseError('empty tag name');
        const element: XmlElement = { name, children: [], text: '' };
        top().children.push(element);
        if (!selfClosing) stack.push(element);
      }
    }
  }
  if (stack.length > 1) throw new XmlRpcParseError(`reply ends inside <${top().name}> (truncated?)`);
  return root;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

function parseDate(text: string): Date {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) throw new XmlRpcParseError(`bad dateTime.iso8601 "${text.slice(0, 40)}"`);
  const zone = m[7] ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new XmlRpcParseError(`bad dateTime.iso8601 "${text.slice(0, 40)}"`);
  return date;
}

function decodeValueElement(value: XmlElement): XmlRpcValue {
  const typed = value.children[0];
  if (!typed) return value.text; // an untyped <value> is a string (whitespace kept, as the spec says)
  const text = typed.text;
  switch (typed.name) {
    case 'string':
      return text;
    case 'int':
    case 'i4':
    case 'i8': {
      const n = Number(text.trim());
      if (!Number.isInteger(n)) throw new XmlRpcParseError(`bad <${typed.name}> "${text.slice(0, 40)}"`);
      return n;
    }
    case 'double': {
      const n = Number(text.trim());
      if (text.trim() === '' || Number.isNaN(n)) throw new XmlRpcParseError(`bad <double> "${text.slice(0, 40)}"`);
      return n;
    }
    case 'boolean': {
      const t = text.trim();
      if (t === '1' || t === 'true') return true;
      if (t === '0' || t === 'false') return false;
      throw new XmlRpcParseError(`bad <boolean> "${t.slice(0, 40)}"`);
    }
    case 'dateTime.iso8601':
      return parseDate(text);
    case 'base64':
      return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
    case 'nil':
      return null;
    case 'array': {
      const data = child(typed, 'data');
      if (!data) throw new XmlRpcParseError('<array> without <data>');
      return data.children.filter((c) => c.name === 'value').map(decodeValueElement);
    }
    case 'struct': {
      const result: { [key: string]: XmlRpcValue } = {};
      for (const member of typed.children.filter((c) => c.name === 'member')) {
        const name = child(member, 'name');
        const memberValue = child(member, 'value');
        if (!name || !memberValue) throw new XmlRpcParseError('<member> without <name> or <value>');
        Object.defineProperty(result, name.text, { value: decodeValueElement(memberValue), enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    default:
      throw new XmlRpcParseError(`unknown value type <${typed.name}>`);
  }
}

/** Decodes a `<methodResponse>`: the value, or throws XmlRpcFault / XmlRpcParseError. */
export function decodeMethodResponse(xml: string): XmlRpcValue {
  const source = xml.replace(/^\uFEFF/, '').trim();
  if (!source.startsWith('<')) {
    throw new XmlRpcParseError(`not XML: "${source.slice(0, 80).replace(/\s+/g, ' ')}"`);
  }
  const root = parseXml(source);
  const response = child(root, 'methodResponse');
  if (!response) throw new XmlRpcParseError('no <methodResponse> element');
  const fault = child(response, 'fault');
  if (fault) {
    const value = child(fault, 'value');
    const decoded = value ? decodeValueElement(value) : null;
    if (decoded && typeof decoded === 'object' && !Array.isArray(decoded) && !(decoded instanceof Date) && !(decoded instanceof Uint8Array)) {
      const code = Number(decoded.faultCode);
      return throwFault(Number.isFinite(code) ? code : 0, String(decoded.faultString ?? ''));
    }
    throw new XmlRpcParseError('<fault> without a fault struct');
  }
  const value = child(response, 'params')
    ?.children.find((c) => c.name === 'param')
    ?.children.find((c) => c.name === 'value');
  if (!value) throw new XmlRpcParseError('no <params><param><value> in the reply');
  return decodeValueElement(value);
}

function throwFault(code: number, message: string): never {
  throw new XmlRpcFault(code, message);
}
