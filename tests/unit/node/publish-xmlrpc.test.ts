import { describe, expect, it } from 'vitest';
import {
  decodeMethodResponse,
  encodeFault,
  encodeMethodCall,
  encodeMethodResponse,
  XmlRpcDouble,
  XmlRpcFault,
  XmlRpcParseError,
} from '../../../node/services/publish/metaweblog/xmlrpc';

describe('XML-RPC codec', () => {
  it('round-trips strings with markup and Chinese, ints, doubles, booleans, dates, base64, arrays, structs and nil', () => {
    const value = {
      title: '区委常委会 <b>&</b> "会议"',
      count: 42,
      negative: -7,
      ratio: 0.25,
      published: true,
      draft: false,
      when: new Date(Date.UTC(2021, 4, 20, 1, 30, 0)),
      bits: Uint8Array.from([0, 1, 2, 250, 255]),
      categories: ['政务要闻', '通知公告'],
      nested: { empty: [], none: null },
    };
    expect(decodeMethodResponse(encodeMethodResponse(value))).toEqual(value);
  });

  it('sends whole doubles as <double> when asked, and skips undefined struct members', () => {
    const xml = encodeMethodCall('x', [new XmlRpcDouble(3), { keep: 'a', drop: undefined }]);
    expect(xml).toContain('<double>3</double>');
    expect(xml).toContain('<name>keep</name>');
    expect(xml).not.toContain('drop');
  });

  it('escapes the method name and string content', () => {
    const xml = encodeMethodCall('metaWeblog.newPost', ['a</string><int>1</int>']);
    expect(xml).toContain('<string>a&lt;/string&gt;&lt;int&gt;1&lt;/int&gt;</string>');
  });

  it('accepts what real servers send: BOM, whitespace, comments, CDATA, untyped values, i4/i8, dashed dates, entities', () => {
    const reply = `\uFEFF
      <?xml version="1.0"?>
      <!-- generated -->
      <methodResponse><params><param><value><struct>
        <member><name>plain</name><value>untyped &amp; kept</value></member>
        <member><name>cdata</name><value><string><![CDATA[<p>正文</p>]]></string></value></member>
        <member><name>i4</name><value><i4> 12 </i4></value></member>
        <member><name>i8</name><value><i8>9007199254740</i8></value></member>
        <member><name>dashed</name><value><dateTime.iso8601>2021-05-20T09:30:00+08:00</dateTime.iso8601></value></member>
        <member><name>compact</name><value><dateTime.iso8601>20210520T01:30:00</dateTime.iso8601></value></member>
        <member><name>numeric</name><value><string>&#20013;&#x6587;</string></value></member>
        <member><name>empty</name><value><string/></value></member>
      </struct></value></param></params></methodResponse>`;
    expect(decodeMethodResponse(reply)).toEqual({
      plain: 'untyped & kept',
      cdata: '<p>正文</p>',
      i4: 12,
      i8: 9007199254740,
      dashed: new Date(Date.UTC(2021, 4, 20, 1, 30, 0)),
      compact: new Date(Date.UTC(2021, 4, 20, 1, 30, 0)),
      numeric: '中文',
      empty: '',
    });
  });

  it('throws the fault code and string of a <fault> reply', () => {
    const error = (() => {
      try {
        decodeMethodResponse(encodeFault(403, '用户名或密码不正确。'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(XmlRpcFault);
    expect((error as XmlRpcFault).faultCode).toBe(403);
    expect((error as XmlRpcFault).faultString).toBe('用户名或密码不正确。');
  });

  it.each([
    ['an HTML error page', '<html><body><h1>502 Bad Gateway</h1></body></html>', /methodResponse/],
    ['plain text', 'Fatal error: Uncaught Error: Call to undefined function xml_parser_create()', /not XML/],
    ['a truncated reply', '<?xml version="1.0"?><methodResponse><params><param><value><string>abc', /truncated/],
    ['mismatched tags', '<methodResponse><params><param><value><int>1</string></value></param></params></methodResponse>', /unexpected <\/string>/],
    ['a bad int', '<methodResponse><params><param><value><int>12abc</int></value></param></params></methodResponse>', /bad <int>/],
    ['a bad boolean', '<methodResponse><params><param><value><boolean>yes</boolean></value></param></params></methodResponse>', /bad <boolean>/],
    ['a bad date', '<methodResponse><params><param><value><dateTime.iso8601>yesterday</dateTime.iso8601></value></param></params></methodResponse>', /bad dateTime/],
    ['an unknown type', '<methodResponse><params><param><value><bignum>1</bignum></value></param></params></methodResponse>', /unknown value type/],
    ['no params', '<methodResponse></methodResponse>', /no <params>/],
    ['an empty body', '', /not XML/],
  ])('rejects %s with a readable reason', (_label, reply, reason) => {
    expect(() => decodeMethodResponse(reply)).toThrow(XmlRpcParseError);
    expect(() => decodeMethodResponse(reply)).toThrow(reason);
  });

  it('does not let a struct member named __proto__ change the prototype', () => {
    const reply = encodeMethodResponse({ __proto__x: 1 }).replace('__proto__x', '__proto__');
    const decoded = decodeMethodResponse(reply) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
  });
});
