// Differential tests for src/sandbox/prelude.js against Node 20's native implementations.
// Run: node --test src/sandbox/prelude_test.mjs
//
// The prelude is evaluated in a fresh vm context without Node's globals and without code
// generation from strings (as in the sandbox), and its URL, URLSearchParams, TextEncoder,
// TextDecoder, atob, btoa and DOMException are compared with the host's on the same inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { readFileSync } from "node:fs";
import punycode from "node:punycode";
import { inspect, isDeepStrictEqual } from "node:util";

const SOURCE = readFileSync(new URL("./prelude.js", import.meta.url), "utf8");
const GLOBALS = ["DOMException", "TextEncoder", "TextDecoder", "atob", "btoa", "URLSearchParams", "URL"];

function newSandbox() {
  return vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
}

function loadPrelude(ctx) {
  vm.runInContext(SOURCE, ctx, { filename: "prelude.js" });
  return vm.runInContext(`({ ${GLOBALS.join(", ")}, Error, Uint8Array, TypeError })`, ctx);
}

const ctx = newSandbox();
const P = loadPrelude(ctx); // the prelude's implementations
const N = { DOMException, TextEncoder, TextDecoder, atob, btoa, URLSearchParams, URL }; // Node's
const inCtx = (code) => vm.runInContext(code, ctx);

// Copies arrays and plain objects into this realm, so results from the sandbox realm compare
// with Node's under strict deepEqual (which also compares prototypes).
function normalize(v) {
  if (Array.isArray(v)) return Array.from(v, normalize);
  if (v !== null && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v)) o[k] = normalize(v[k]);
    return o;
  }
  return v;
}

// Result of fn(impl) or a description of what it threw, so both sides compare with deepEqual.
function outcome(fn) {
  try {
    return { ok: normalize(fn()) };
  } catch (e) {
    return e && typeof e === "object" && e.constructor && e.constructor.name === "DOMException"
      ? { threw: "DOMException", name: e.name, code: e.code }
      : { threw: e && e.name };
  }
}

function differential(label, fn) {
  const mine = outcome(() => fn(P)), node = outcome(() => fn(N));
  if (!isDeepStrictEqual(mine, node)) {
    assert.fail(`${label}\n  prelude: ${inspect(mine, { depth: 5 })}\n  node:    ${inspect(node, { depth: 5 })}`);
  }
}

// Seeded PRNG (mulberry32) so failures reproduce.
function prng(seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// -------------------------------------------------------------------------------------------------
// Globals
// -------------------------------------------------------------------------------------------------

test("sandbox starts without web/Node globals and the prelude adds exactly its globals", () => {
  const fresh = newSandbox();
  const run = (code) => vm.runInContext(code, fresh);
  // (V8 itself installs a console object in every context, so it is not checked here.)
  for (const name of [...GLOBALS, "process", "require", "Buffer", "structuredClone", "setTimeout"]) {
    assert.equal(run(`typeof ${name}`), "undefined", `${name} before the prelude`);
  }
  assert.equal(run("try { eval('1'); 'eval works' } catch (e) { e.name }"), "EvalError");
  const before = run("Reflect.ownKeys(globalThis).map(String)");
  loadPrelude(fresh);
  const after = run("Reflect.ownKeys(globalThis).map(String)");
  assert.deepEqual(normalize(after.filter((k) => !before.includes(k)).sort()), [...GLOBALS].sort());
  assert.deepEqual(normalize(before.filter((k) => !after.includes(k))), []);
  for (const name of GLOBALS) {
    const desc = run(`Object.getOwnPropertyDescriptor(globalThis, ${JSON.stringify(name)})`);
    assert.equal(desc.enumerable, false, name);
    assert.equal(desc.writable, true, name);
    assert.equal(desc.configurable, true, name);
    assert.equal(typeof desc.value, "function", name);
  }
  assert.deepEqual(normalize(run("Object.keys(globalThis)")), []);
});

test("interface shapes (names, lengths, descriptors, toStringTag) match Node's", () => {
  const shape = (obj) =>
    Reflect.ownKeys(obj)
      .filter((k) => k !== Symbol.for("nodejs.util.inspect.custom") && !["createObjectURL", "revokeObjectURL"].includes(k))
      .map((k) => {
        const d = Object.getOwnPropertyDescriptor(obj, k);
        const kind = !("value" in d) ? `get${d.set ? "+set" : ""}`
          : typeof d.value === "function" ? `fn/${d.value.length}/${d.value.name}`
          : typeof d.value === "object" ? "object" : JSON.stringify(d.value);
        return `${String(k)} ${kind} ${d.enumerable ? "e" : ""}${d.writable ? "w" : ""}${d.configurable ? "c" : ""}`;
      })
      .sort();
  for (const name of GLOBALS) {
    assert.equal(P[name].name, N[name].name, `${name}.name`);
    assert.equal(P[name].length, N[name].length, `${name}.length`);
    if (name === "atob" || name === "btoa") continue;
    assert.deepEqual(shape(P[name].prototype), shape(N[name].prototype), `${name}.prototype`);
    assert.deepEqual(shape(P[name]), shape(N[name]), `${name} statics`);
  }
  const tag = (v) => Object.prototype.toString.call(v);
  assert.equal(tag(new P.URL("http://a/")), "[object URL]");
  assert.equal(tag(new P.URLSearchParams()), "[object URLSearchParams]");
  assert.equal(tag(new P.TextEncoder()), "[object TextEncoder]");
  assert.equal(tag(new P.TextDecoder()), "[object TextDecoder]");
  assert.equal(tag(new P.DOMException()), "[object DOMException]");
  const pIter = new P.URLSearchParams("a=1").entries(), nIter = new N.URLSearchParams("a=1").entries();
  assert.equal(tag(pIter), tag(nIter));
  assert.deepEqual(shape(Object.getPrototypeOf(pIter)), shape(Object.getPrototypeOf(nIter)));
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(pIter)), inCtx("Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))"));
  assert.equal(P.URLSearchParams.prototype[Symbol.iterator], P.URLSearchParams.prototype.entries);
});

test("WebIDL behaviour: constructors need new, brand checks, missing arguments", () => {
  for (const name of ["URL", "URLSearchParams", "TextEncoder", "TextDecoder", "DOMException"]) {
    differential(`${name}() without new`, (I) => I[name]("http://a/"));
  }
  differential("href getter on a plain object", (I) => Object.getOwnPropertyDescriptor(I.URL.prototype, "href").get.call({}));
  differential("URLSearchParams.append on a plain object", (I) => I.URLSearchParams.prototype.append.call({}, "a", "b"));
  differential("TextDecoder.decode on a TextEncoder", (I) => I.TextDecoder.prototype.decode.call(new I.TextEncoder()));
  differential("encoding getter on a plain object", (I) => Object.getOwnPropertyDescriptor(I.TextEncoder.prototype, "encoding").get.call({}));
  differential("new URL()", (I) => new I.URL());
  differential("URL.canParse()", (I) => I.URL.canParse());
  differential("append(1 arg)", (I) => new I.URLSearchParams().append("a"));
  differential("set(1 arg)", (I) => new I.URLSearchParams().set("a"));
  differential("get()", (I) => new I.URLSearchParams().get());
  differential("forEach(non-callable)", (I) => new I.URLSearchParams("a=b").forEach(1));
  differential("atob()", (I) => I.atob());
  differential("btoa()", (I) => I.btoa());
  differential("encodeInto(1 arg)", (I) => new I.TextEncoder().encodeInto("a"));
  differential("URL from a Symbol", (I) => new I.URL(Symbol("x")));
});

// -------------------------------------------------------------------------------------------------
// URL parsing
// -------------------------------------------------------------------------------------------------

const URL_PROPS = ["href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"];

function urlSnapshot(u) {
  const o = {};
  for (const k of URL_PROPS) o[k] = u[k];
  o.toString = u.toString();
  o.toJSON = u.toJSON();
  o.params = [...u.searchParams];
  o.paramsString = u.searchParams.toString();
  return o;
}

const BASE = "http://example.org/foo/bar";
const URL_CASES = [
  // Special schemes, ports, credentials
  ["http://example.com/"], ["HTTP://EXAMPLE.COM/A/B"], ["http://example.com"], ["https://example.com:443/"],
  ["https://example.com:444/"], ["http://example.com:80/"], ["http://example.com:0080/"], ["http://example.com:/"],
  ["http://example.com:65535/"], ["http://example.com:65536/"], ["http://example.com:-1/"], ["http://example.com:8a/"],
  ["http://example.com:99999999999999999999/"], ["ws://example.com:80/"], ["wss://example.com:443/x"],
  ["ws://example.com:443/x"], ["ftp://example.com:21/x"], ["ftp://example.com:22/x"], ["http://user:pass@example.com/"],
  ["http://user@example.com/"], ["http://:pass@example.com/"], ["http://user:@example.com/"], ["http://@example.com/"],
  ["http://a@b@c/"], ["http://a:b:c@d/"], ["http://us er:pa ss@host/"], ["http://ü:ß@host/"], ["http://user@/"],
  ["http://@/"], ["http://a:b@c:29/d"], ["http://a:80:81/"], ["http://x:@y/"], ["http://%41:%42@host/"],
  ["http://u;=[]^|@host/"], ["http://😀.com/"], ["http://u😀:p😀@h😀/"], ["sc://😀@h😀/"], ["sc://h😀:1/"],
  // Slashes, whitespace, controls
  ["http:/example.com/"], ["http:example.com/"], ["http:\\\\example.com\\a\\b"], ["http://example.com\\a\\..\\b"],
  ["  http://example.com/  "], ["\t\nhttp://exa\tmple.com/\r"], ["\u0000\u001Fhttp://example.com/\u0001"],
  ["http:///x"], ["http:"], ["http://"], ["http:", BASE], ["http:/", BASE], ["https:", BASE], ["http:g", BASE],
  ["http:/g", BASE], ["http://g", BASE], ["https:g", BASE], ["HTTP:g", BASE],
  // Paths and dot segments
  ["http://example.com/a/./b/../c"], ["http://example.com/a/%2e/b/%2E%2e/c"], ["http://example.com/a/.%2E/b"],
  ["http://example.com/.."], ["http://example.com/../../x"], ["http://example.com/a/.."], ["http://example.com/a/."],
  ["http://example.com/a/..?q"], ["http://example.com/a/.#f"], ["http://example.com////foo"], ["http://example.com/foo//"],
  ["http://example.com/a b/c\"d<e>f`g{h}i|j"], ["http://example.com/ü/€/😀"], ["http://example.com/%zz%2"],
  ["http://example.com/\u0000\u001f\u007f"], ["http://example.com/\uD800x"], ["http://example.com/%"],
  ["http://example.com/%2"], ["http://example.com/%2f"], ["http://example.com/a%2fb"], ["http://h/%2e%2E/%2E/x"],
  ["http://h/a/%2e%2"], ["http://example.com/`{}"], ["http://example.com/[]@:;=$&+,!*'()~"],
  // Query and fragment
  ["http://example.com/?a b\"c#d'e<f>g"], ["sc://example.com/?a b\"c#d'e<f>g"], ["http://example.com/#a b\"c<d>e`f#g"],
  ["http://example.com/?ü=€#😀"], ["http://example.com/?\u0000\u007f"], ["http://example.com/path?#"],
  ["http://example.com?"], ["http://example.com#"], ["http://example.com/?'"], ["sc://h/?'"], ["http://example.com/?`{}"],
  ["http://example.com/#`{}"], ["http://example.com/?%zz%2"], ["http://example.com/#%zz"],
  ["http://example.com/foo?bar=baz#qux?x#y"], ["http://example.com/?a=1&b=%20+&c"], ["http://h/?\uDC00"],
  // Relative references (RFC 3986 section 5.4 and friends)
  ["", BASE], ["?x", BASE], ["#x", BASE], ["g", BASE], ["./g", BASE], ["g/", BASE], ["/g", BASE], ["//g", BASE],
  ["?y", BASE], ["g?y", BASE], ["g#s", BASE], ["g?y#s", BASE], [";x", BASE], ["g;x", BASE], [".", BASE], ["./", BASE],
  ["..", BASE], ["../", BASE], ["../g", BASE], ["../..", BASE], ["../../", BASE], ["../../g", BASE],
  ["../../../g", BASE], ["/./g", BASE], ["/../g", BASE], ["g.", BASE], [".g", BASE], ["g..", BASE], ["..g", BASE],
  ["./../g", BASE], ["./g/.", BASE], ["g/./h", BASE], ["g/../h", BASE], ["\\g", BASE], ["\\\\g", BASE], ["/\\g", BASE],
  ["sc:g", BASE], ["//user@host:99/x", BASE], ["  ?q  ", BASE], ["x\ty", BASE], [":foo", BASE], ["1a:x", BASE],
  ["../d", "http://example.com/a/b/c?q#f"], ["?", "http://example.com/a?b#c"], ["#", "http://example.com/a?b#c"],
  ["", "http://example.com/a?b#c"], ["/x", "http://h:8080/a"], ["//h2/x", "https://h/a"],
  ["x", "http://user:pw@h/a/b"], ["//x", "http://user:pw@h/a/b"], ["x", "http://h"], ["http://ok/", "invalid base"],
  ["x", "invalid base"], ["ftp:x", "ftp://h/a/b"], ["ws:/x", "wss://h/a"],
  // Non-special schemes, opaque hosts and opaque paths
  ["sc://host/path"], ["sc://HOST/PATH"], ["sc://user:pass@host:123/p?q#f"], ["sc://host:0/"], ["sc://host:99999/"],
  ["sc://h%41st/"], ["sc://a b/"], ["sc://a<b/"], ["sc://a^b/"], ["sc://ü/"], ["sc://%/"], ["sc://%zz/"],
  ["sc://a%00b/"], ["sc://a\u007fb/"], ["sc:///path"], ["sc://"], ["sc:"], ["sc:/"], ["sc://@host"], ["sc://:@host/"],
  ["sc://host\\path"], ["sc:\\\\x\\y"], ["sc://h//"], ["sc://1.2.3/"], ["sc://0x7f.1/"], ["sc://[::1]/"],
  ["sc://[1:2::]/"], ["sc://[::1/"], ["non-spec:/.//p"], ["non-spec:/..//p"], ["non-spec:/a/..//p"], ["non-spec:/.//"],
  ["sc:/a/./b/../c"], ["sc:a/./b"], ["javascript:alert(1)"], ["JavaScript:alert(1)"], ["mailto:User@Example.COM"],
  ["data:text/plain,hello world"], ["data:,a%20b c"], ["about:blank"], ["urn:isbn:123"], ["tel:+1-555"],
  ["sc:a b?x"], ["sc:a \u0001\u007f€"], ["a+b-c.d:x"], ["1a:x"], ["a_b:x"], [":foo"], ["x", "sc://host/a/b"],
  ["../x", "sc://host/a/b"], ["/x", "sc://host/a/b"], ["//other/x", "sc://host/a/b"], ["\\x", "sc://host/a/b"],
  ["?q", "sc:opaque"], ["#f", "sc:opaque"], ["#f", "sc:opaque?q"], ["x", "sc:opaque"], ["x", "about:blank"],
  ["", "sc:opaque#frag"],
  // Origins
  ["blob:https://a.com/uuid"], ["blob:http://a.com:8080/x"], ["blob:file:///x"], ["blob:sc://x/y"], ["blob:ftp://x/y"],
  ["blob:invalid"], ["blob:"], ["https://a.com:443/"], ["ws://a.com:81/"],
  // IPv4
  ["http://192.168.0.1/"], ["http://0x7f.1/"], ["http://0x7F.0.0.1/"], ["http://127.1/"], ["http://127.0.1/"],
  ["http://2130706433/"], ["http://017700000001/"], ["http://0x7f000001/"], ["http://0177.0.0.1/"], ["http://0.0.0.0/"],
  ["http://255.255.255.255/"], ["http://256.0.0.1/"], ["http://4294967295/"], ["http://4294967296/"],
  ["http://1.2.3.4.5/"], ["http://1.2.3.4./"], ["http://1.2.3.4../"], ["http://1.2.3.09/"], ["http://09.2.3.4/"],
  ["http://0x/"], ["http://0x.0x.0/"], ["http://1.0x/"], ["http://a.0x/"], ["http://a.1/"], ["http://1.a/"],
  ["http://1.2.3/"], ["http://0xffffffff/"], ["http://0x100000000/"], ["http://%30x7f.1/"], ["http://0..0x300/"],
  ["http://999999999999999999/"], ["http://1.2.3.4:80/"], ["http://00000000000000000000000001/"], ["http://1/"],
  ["http://1.256/"], ["http://1.65536/"], ["http://1.2.65536/"], ["http://0xG/"], ["http://08/"], ["http://1.2.3.0x100/"],
  // IPv6
  ["http://[::]/"], ["http://[::1]/"], ["http://[1:2:3:4:5:6:7:8]/"], ["http://[1:0:0:0:0:0:0:8]/"],
  ["http://[1:0:0:2:0:0:0:8]/"], ["http://[0:0:1:0:0:1:0:0]/"], ["http://[1::]/"], ["http://[::1:2]/"],
  ["http://[FFFF::ABCD]/"], ["http://[::127.0.0.1]/"], ["http://[::ffff:192.168.1.1]/"], ["http://[1:2:3:4:5:6:1.2.3.4]/"],
  ["http://[1:2:3:4:5:6:7:1.2.3.4]/"], ["http://[::1.2.3]/"], ["http://[::1.2.3.4.5]/"], ["http://[::01.2.3.4]/"],
  ["http://[::256.0.0.1]/"], ["http://[1:2:3:4:5:6:7:8:9]/"], ["http://[1::2::3]/"], ["http://[:1]/"], ["http://[1:]/"],
  ["http://[12345::]/"], ["http://[::1]:8080/"], ["http://[::1/"], ["http://[::1]x/"], ["http://[::%31]/"],
  ["http://[0:0:0:0:0:0:0:0]/"], ["http://[1:0:0:0:1:0:0:0]/"], ["http://[1:0:1:0:1:0:1:0]/"], ["http://[::1.]/"],
  ["http://[0::0:0:1]/"], ["http://[1:2::3:4]/"], ["http://[::ffff:0:0]/"], ["http://[::1]:/x"], ["http://[::1]]/"],
  ["http://[[::1]/"], ["http://[]/"],
  // Domains
  ["http://EXAMPLE.com./"], ["http://example..com/"], ["http://.example.com/"], ["http://ex ample.com/"],
  ["http://ex<ample/"], ["http://ex|ample/"], ["http://ex^ample/"], ["http://ex%ample/"], ["http://ex_ample/"],
  ["http://ex$ample/"], ["http://ex!ample/"], ["http://ex*ample/"], ["http://a\u0000b/"], ["http://a\u007fb/"],
  ["http://%65xample.com/"], ["http://ex%41mple.com/"], ["http://%25/"], ["http://a%20b/"], ["http://a%2Eb/"],
  ["http://%ff/"], ["http://%ef%bf%bd/"], ["http://\uFFFD/"], ["http://münchen.de/"], ["http://MÜNCHEN.de/"],
  ["http://bücher.example/"], ["http://日本語.jp/"], ["http://xn--mnchen-3ya.de/"], ["http://XN--MNCHEN-3YA.de/"],
  ["http://xn--/"], ["http://xn--a/"], ["http://☃.net/"], ["http://a.b.c.d.e/"], ["http://localhost/"],
  ["http://ab--c/"], ["http://-a/"], ["http://a\u3002b/"], ["http://a\uFF0Eb/"], ["http://\u00ADa/"], ["http://ß.de/"],
  ["http://%C3%BC.de/"], ["http://xn--ls8h/"], ["wss://ü.com:443/"], ["http://a.b:0/"],
  // file: URLs
  ["file:///C:/path"], ["file:///c|/path"], ["file://C:/path"], ["file:C:/path"], ["file:/C|/path"],
  ["file:c:\\foo\\bar.html"], ["file:///"], ["file://"], ["file:"], ["file://localhost/x"], ["file://LOCALHOST/x"],
  ["file://host/x"], ["file://HOST.Example/x"], ["file://host:80/x"], ["file://user@host/x"], ["file:///x/../../y"],
  ["file:///C:/../x"], ["file:///C:/a/../../x"], ["file:..", "file:///C:/a/b"], ["..", "file:///C:/"],
  ["x", "file:///C:/a"], ["/x", "file:///C:/a"], ["//x/y", "file:///C:/a"], ["\\\\x\\y", "file:///C:/a"],
  ["C|/x", "file:///D:/a"], ["/C|/x", "file:///D:/a"], ["C|", "file:///D:/a"], ["C|#f", "file:///D:/a"],
  ["?q", "file:///a/b"], ["#f", "file:///a/b?q"], ["", "file:///a/b?q#f"], ["file:x", "file:///a/b"],
  ["file:?q", "file:///a/b"], ["file:", "file:///a/b?q"], ["x", "file://host/a"], ["file://[::1]/x"],
  ["file://1.2.3.4/x"], ["file://0x7f.1/x"], ["file://ü/x"], ["file://%41/x"], ["file:///a b/ü"],
  ["file://host/C:/foo"], ["file:////x"], ["file:/\\x"], ["file:\\\\\\x"], ["file://localhost"], ["file:/x", BASE],
  ["file://C|/x"], ["file:///C:"], ["file:///C:/"], ["file://host/C|/x"], ["/C:/x", "file://host/a"],
  ["file://localhost//x"], ["file:x?q#f"],
];

test(`URL parsing differential (${URL_CASES.length} cases)`, () => {
  assert.ok(URL_CASES.length >= 150);
  for (const [input, base] of URL_CASES) {
    const label = `new URL(${JSON.stringify(input)}${base === undefined ? "" : ", " + JSON.stringify(base)})`;
    const args = base === undefined ? [input] : [input, base];
    differential(label, (I) => urlSnapshot(new I.URL(...args)));
    differential(`canParse: ${label}`, (I) => I.URL.canParse(...args));
    differential(`parse: ${label}`, (I) => {
      const u = I.URL.parse(...args);
      return u === null ? null : u.href;
    });
  }
});

test("URL failures throw TypeError('Invalid URL')", () => {
  for (const input of ["", "http://", "http://a b/", "//x", "http://[::1/", "sc://a^b/"]) {
    assert.throws(() => new P.URL(input), (e) => e instanceof P.TypeError && e.message === "Invalid URL", input);
  }
  assert.equal(P.URL.parse("nope"), null);
  assert.equal(P.URL.canParse("x", "nope"), false);
});

// Host processing where Node applies the full UTS #46 mapping and the prelude deliberately does
// not (see "SIMPLIFICATION" in prelude.js): checked against hard values instead of Node.
test("domain to ASCII: Punycode and the documented simplification", () => {
  const host = (s) => new P.URL(`http://${s}/`).hostname;
  // RFC 3492 section 7.1 samples (lower-cased as UTS #46 would), and familiar ones.
  assert.equal(host("ليهمابتكلموشعربي؟"), "xn--egbpdaj6bu4bxfgehfvwxn");
  assert.equal(host("他们为什么不说中文"), "xn--ihqwcrb4cv8a8dqg056pqjye");
  assert.equal(host("他們爲什麽不說中文"), "xn--ihqwctvzc91f659drss3x8bo0yb");
  assert.equal(host("почемужеонинеговорятпорусски"), "xn--b1abfaaepdrnnbgefbadotcwatmq2g4l");
  assert.equal(host("3年B組金八先生"), "xn--3b-ww4c5e180e575a65lsy2b");
  assert.equal(host("bücher.de"), "xn--bcher-kva.de");
  assert.equal(host("MÜNCHEN.DE"), "xn--mnchen-3ya.de");
  assert.equal(host("☃.net"), "xn--n3h.net");
  // UTS #46 maps these (U+FB00 -> "ff", full-width letters -> ASCII); the prelude encodes them as they are.
  assert.equal(host("ﬀ.com"), "xn--im6c.com");
  assert.equal(host("ＡＢＣ.com"), "xn--mi7ccd.com");
  assert.equal(new N.URL("http://ﬀ.com/").hostname, "ff.com"); // documents the difference
  for (const label of ["ﬀ", "ａｂｃ", "bücher", "☃", "日本語"]) {
    assert.equal(host(label), "xn--" + punycode.encode(label), label);
  }
  // Round trip of "xn--" labels; invalid Punycode fails.
  assert.equal(host("xn--ihqwcrb4cv8a8dqg056pqjye"), "xn--ihqwcrb4cv8a8dqg056pqjye");
  for (const bad of ["xn--", "xn--a", "xn--abc-", "xn--99999999999", "xn--ls8h!", "a.xn--zz-"]) {
    assert.equal(P.URL.canParse(`http://${bad}/`), false, bad);
  }
  // Non-special URLs keep non-ASCII hosts percent-encoded (no IDNA at all).
  assert.equal(new P.URL("sc://ÄB/").host, "%C3%84B");
});

// -------------------------------------------------------------------------------------------------
// URL setters and the URL <-> URLSearchParams link
// -------------------------------------------------------------------------------------------------

const SETTER_CASES = [
  ["http://a/", "protocol", "https"], ["http://a/", "protocol", "https:"], ["http://a/", "protocol", "HTTPS:foo"],
  ["http://a/", "protocol", "sc"], ["sc://a/", "protocol", "http"], ["sc://a/", "protocol", "other"],
  ["http://a:443/", "protocol", "https"], ["https://a:80/", "protocol", "http"], ["http://user@a/", "protocol", "file"],
  ["http://a:8/", "protocol", "file"], ["file:///x", "protocol", "http"], ["file://h/x", "protocol", "https"],
  ["http://a/", "protocol", "1http"], ["http://a/", "protocol", ""], ["http://a/", "protocol", "ht tp"],
  ["mailto:x", "protocol", "sc"], ["http://a/", "protocol", "ws"], ["http://a/", "protocol", "h\ttp"],
  ["http://a/", "username", "us er@:/"], ["http://a/", "username", ""], ["http://u:p@a/", "username", ""],
  ["file:///x", "username", "u"], ["sc:opaque", "username", "u"], ["sc:///x", "username", "u"],
  ["http://a/", "username", "ü;=[]"], ["http://a/", "password", "p@ss:w/rd"], ["http://u:p@a/", "password", ""],
  ["file://h/x", "password", "p"], ["http://a/", "password", "\uD800"],
  ["http://a/", "host", "b"], ["http://a/", "host", "b:8080"], ["http://a:1/", "host", "b"], ["http://a/", "host", "b:80"],
  ["http://a:1/", "host", "b:"], ["http://a/", "host", ""], ["sc://a/", "host", ""], ["sc://u@a/", "host", ""],
  ["sc://a:9/", "host", ""], ["http://a/", "host", "[::1]:90"], ["http://a/", "host", "b/c"], ["http://a/", "host", "b?c"],
  ["http://a/", "host", "b#c"], ["http://a/", "host", "b\\c"], ["sc://a/", "host", "b\\c"], ["http://a/", "host", "b c"],
  ["http://a/", "host", "0x7f.1"], ["http://a/", "host", "ü.com"], ["mailto:x", "host", "a"], ["file:///x", "host", "h"],
  ["file://h/x", "host", "localhost"], ["file://h/x", "host", ""], ["http://a/", "host", "b:99999"],
  ["http://a/", "host", "b:12x"], ["sc://a/", "host", "B:8"], ["sc:/x", "host", "h"], ["http://a/", "host", ":8"],
  ["http://a/", "hostname", "b"], ["http://a:8/", "hostname", "b:9"], ["http://a/", "hostname", "[::1]"],
  ["http://a/", "hostname", ""], ["sc://a/", "hostname", ""], ["sc://a:8/", "hostname", ""],
  ["file://h/x", "hostname", "localhost"], ["http://a/", "hostname", "x/y"], ["sc://a/", "hostname", "%C3"],
  ["http://a/", "port", "8080"], ["http://a/", "port", "80"], ["http://a:8/", "port", ""], ["http://a/", "port", "8080stuff"],
  ["http://a/", "port", "stuff"], ["http://a/", "port", "65536"], ["http://a/", "port", "65535"], ["file:///x", "port", "8"],
  ["sc://a/", "port", "80"], ["sc:x", "port", "1"], ["http://a/", "port", "0"], ["http://a/", "port", "00080"],
  ["https://a/", "port", "443"], ["http://a/", "port", "8\t0"], ["http://a/", "port", "1/2"],
  ["http://a/b", "pathname", "c/d"], ["http://a/b", "pathname", "/c/../d"], ["http://a/b", "pathname", ""],
  ["http://a/b?q#f", "pathname", "x?y#z"], ["http://a/b", "pathname", "a b%2e/..\\c"], ["sc://a/b", "pathname", "c"],
  ["sc://a/b", "pathname", ""], ["sc:/b", "pathname", "//x"], ["mailto:x", "pathname", "y"],
  ["file:///C:/x", "pathname", "/.."], ["file:///x", "pathname", "C|/y"], ["sc:///b", "pathname", ""],
  ["sc://a/b", "pathname", "\\x"], ["http://a/b", "pathname", "ü€"], ["sc:/b", "pathname", ""],
  ["http://a/b", "search", "q"], ["http://a/b", "search", "?q=1 2"], ["http://a/b?x", "search", ""],
  ["http://a/b", "search", "??"], ["http://a/b", "search", "#"], ["sc://a/b", "search", "'"],
  ["http://a/b", "search", "'"], ["sc:a ?x", "search", ""], ["sc:a ?x#f", "search", ""], ["http://a/b#f", "search", "q"],
  ["http://a/b", "search", "ü=%zz&a+b"], ["http://a/b", "search", "?"],
  ["http://a/b", "hash", "f"], ["http://a/b", "hash", "#f g"], ["http://a/b#x", "hash", ""], ["http://a/b", "hash", "##"],
  ["sc:a #x", "hash", ""], ["sc:a ?q#x", "hash", ""], ["mailto:x", "hash", "y"], ["http://a/b", "hash", "`<>\"ü"],
  ["http://a/b", "hash", "#"],
  ["http://a/", "href", "sc://b/?x=1"], ["http://a/", "href", "invalid"], ["http://a/?q=1", "href", "http://b/"],
];

test(`URL setters differential (${SETTER_CASES.length} cases)`, () => {
  for (const [href, prop, value] of SETTER_CASES) {
    differential(`${href} .${prop} = ${JSON.stringify(value)}`, (I) => {
      const u = new I.URL(href);
      const params = u.searchParams;
      u[prop] = value;
      assert.equal(u.searchParams, params);
      return urlSnapshot(u);
    });
  }
});

test("searchParams is live-linked with search, both ways", () => {
  differential("URL/URLSearchParams linkage", (I) => {
    const log = [];
    const u = new I.URL("http://a/p?x=1&y=2#frag");
    const sp = u.searchParams;
    sp.append("z", "3 4");
    log.push(u.href);
    sp.delete("x");
    log.push(u.href);
    sp.set("y", "é");
    log.push(u.href, u.search);
    sp.sort();
    log.push(u.href);
    u.search = "?b=2&a=1";
    log.push([...sp], sp.size);
    u.href = "http://b/?q=%20+";
    log.push([...sp], sp.get("q"));
    sp.delete("q");
    log.push(u.href, u.search);
    u.hash = "";
    sp.append("k", "");
    log.push(u.href);
    u.search = "";
    log.push([...sp], u.href);
    const opaque = new I.URL("sc:path ?a=1");
    opaque.searchParams.delete("a");
    log.push(opaque.href, opaque.pathname);
    const opaqueHash = new I.URL("sc:path ?a=1#h");
    opaqueHash.searchParams.delete("a");
    log.push(opaqueHash.href);
    const special = new I.URL("http://a/?a='b'");
    log.push(special.search, special.searchParams.get("a"));
    special.searchParams.set("a", "'b c'");
    log.push(special.search);
    return log;
  });
});

// -------------------------------------------------------------------------------------------------
// URLSearchParams
// -------------------------------------------------------------------------------------------------

function paramsSnapshot(sp) {
  return { entries: [...sp], keys: [...sp.keys()], values: [...sp.values()], string: sp.toString(), size: sp.size };
}

const PARAMS_STRINGS = [
  "", "?", "??a=b", "a=b&c=d", "a=b&a=c", "a", "a=", "=b", "=", "&&a=b&&", "a=b=c", "a+b=c+d", "a%20b=c%2",
  "%zz=%", "%C3%A9=%E2%82%AC", "%FF=%C3", "%EF%BB%BFa=1", "a=1;b=2", "ü=€", "a=\uD800", "q=%2B+%26", "&", "?&",
  "a=%%41", "+=+", "%2B=%2b", "a=b#c", "x=\u0000y", "%00=%0", " a = b ", "a=😀&😀=a", "%F0%9F%98=%F0%9F%98%80",
];
const PARAMS_INITS = [
  () => ({ a: "1", b: "x y" }), () => ({ é: "ü", "": "" }), () => ({}), () => ({ a: 1, b: true, c: null, d: undefined }),
  () => [["a", "b"], ["c", "d"]], () => new Map([["x", "y"], ["x", "z"]]), () => [["a", "1"], ["a", "2"]], () => [],
  () => [["a"]], () => [["a", "b", "c"]], () => ["ab"], () => [new Set(["k", "v"])], () => [["\uD800", "\uDC00"]],
  () => (function* () { yield ["g", "1"]; yield ["h", "2"]; })(), () => 12, () => undefined, () => "?x=1",
  () => ({ [Symbol.iterator]: 5 }), () => Object.create({ inherited: "no" }, { own: { value: "yes", enumerable: true }, hidden: { value: "no" } }),
  () => ({ "\uD800": "1", "\uFFFD": "2" }), () => [[1, 2]], () => ({ toString: () => "x=y" }),
];

test("URLSearchParams construction differential", () => {
  for (const s of PARAMS_STRINGS) {
    differential(`new URLSearchParams(${JSON.stringify(s)})`, (I) => paramsSnapshot(new I.URLSearchParams(s)));
  }
  PARAMS_INITS.forEach((make, i) => {
    differential(`init #${i}: ${String(make)}`, (I) => paramsSnapshot(new I.URLSearchParams(make())));
  });
  differential("from another URLSearchParams", (I) => paramsSnapshot(new I.URLSearchParams(new I.URLSearchParams("a=1&b=2"))));
});

test("URLSearchParams methods differential", () => {
  const scripts = [
    (sp) => { sp.append("a b&c=d", "!*'()~-._ /?é😀"); sp.append("\uD800", "x\u0000y"); return sp.toString(); },
    (sp) => { sp.delete("a"); return sp.toString(); },
    (sp) => { sp.delete("a", "2"); return sp.toString(); },
    (sp) => { sp.delete("a", undefined); return sp.toString(); },
    (sp) => [sp.get("a"), sp.get("zz"), sp.getAll("a"), sp.getAll("zz"), sp.has("a"), sp.has("a", "2"), sp.has("a", "9"), sp.has("zz"), sp.has("a", undefined)],
    (sp) => { sp.set("a", "new"); return sp.toString(); },
    (sp) => { sp.set("new", "v"); return sp.toString(); },
    (sp) => { sp.set("b", "B"); return sp.toString(); },
    (sp) => { sp.sort(); return [...sp]; },
    (sp) => { const seen = []; sp.forEach(function (v, k, o) { seen.push([k, v, o === sp, this]); }, "ctx"); return seen; },
    (sp) => { const seen = []; sp.forEach((v, k) => { seen.push(k); if (k === "a") sp.delete("a"); }); return seen; },
    (sp) => { const it = sp.keys(); const first = it.next(); sp.append("late", "1"); return [first, ...it]; },
    (sp) => { const it = sp[Symbol.iterator](); return [it.next(), it.next(), it[Symbol.iterator]() === it]; },
    (sp) => { sp.append(1, 2); sp.set(null, undefined); return [sp.toString(), sp.size]; },
  ];
  const inputs = ["a=1&b=2&a=2&c=3&a=1", "z=1&a=2&z=0&a=1&é=3&e=4&\uD83D\uDE00=5&\uFFFD=6&A=7", ""];
  for (const input of inputs) {
    scripts.forEach((script, i) => {
      differential(`script #${i} on ${JSON.stringify(input)}`, (I) => script(new I.URLSearchParams(input)));
    });
  }
  differential("iterator next on a wrong receiver", (I) => {
    const it = new I.URLSearchParams("a=1").entries();
    return Object.getPrototypeOf(it).next.call({});
  });
});

// -------------------------------------------------------------------------------------------------
// TextEncoder
// -------------------------------------------------------------------------------------------------

const ENCODE_STRINGS = [
  "", "abc", "é", "€", "😀", "\uD800", "\uDC00", "a\uD800b", "\uDC00\uD800", "\uD83D\uDE00\uD83D", "\uD83D", "\uFEFF",
  "\u0000\u007f\u0080\u07ff\u0800\uffff", "\uDBFF\uDFFF", "a😀b€c\uD800d\uDFFFe", "x".repeat(100) + "é".repeat(50),
];

test("TextEncoder differential (encode, encodeInto at every destination size)", () => {
  const rand = prng(7);
  const strings = [...ENCODE_STRINGS];
  const alphabet = ["a", "é", "€", "\uD83D", "\uDE00", "😀", "\u0000", "\uFFFF", "\uDBFF"];
  for (let i = 0; i < 300; i++) {
    let s = "";
    const len = Math.floor(rand() * 12);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
    strings.push(s);
  }
  for (const s of strings) {
    differential(`encode(${JSON.stringify(s)})`, (I) => Array.from(new I.TextEncoder().encode(s)));
    const max = Math.min(new N.TextEncoder().encode(s).length + 2, 40);
    for (let size = 0; size <= max; size++) {
      differential(`encodeInto(${JSON.stringify(s)}, ${size})`, (I) => {
        const dest = new Uint8Array(size + 2).subarray(1, size + 1);
        const r = new I.TextEncoder().encodeInto(s, dest);
        return [r.read, r.written, Array.from(dest), Object.keys(r)];
      });
    }
  }
  differential("encode()", (I) => Array.from(new I.TextEncoder().encode()));
  differential("encode(undefined)", (I) => Array.from(new I.TextEncoder().encode(undefined)));
  differential("encode(null)", (I) => Array.from(new I.TextEncoder().encode(null)));
  differential("encode(123)", (I) => Array.from(new I.TextEncoder().encode(123)));
  differential("encoding", (I) => new I.TextEncoder().encoding);
  differential("encodeInto into a non-Uint8Array", (I) => new I.TextEncoder().encodeInto("a", new Uint16Array(4)));
  differential("encodeInto into an array", (I) => new I.TextEncoder().encodeInto("a", [0, 0]));
  // Results are realm-local Uint8Arrays; destinations from the sandbox's own realm work too.
  assert.ok(new P.TextEncoder().encode("x") instanceof P.Uint8Array);
  assert.deepEqual({ ...inCtx("new TextEncoder().encodeInto('héllo', new Uint8Array(3))") }, { read: 2, written: 3 });
});

// -------------------------------------------------------------------------------------------------
// TextDecoder
// -------------------------------------------------------------------------------------------------

const BAD_UTF8 = [
  [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x41], [0xC2, 0x80], [0xDF, 0xBF], [0xE0], [0xE0, 0x80],
  [0xE0, 0x9F, 0x80], [0xE0, 0xA0], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
  [0xEF, 0xBF, 0xBF], [0xEF, 0xBF], [0xF0], [0xF0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90], [0xF0, 0x90, 0x80],
  [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
  [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF],
  [0xEF, 0xBB], [0x41, 0xC3], [0xE2, 0x82], [0xE2, 0x82, 0x41], [0xF0, 0x9F, 0x98], [0xF0, 0x9F, 0x41],
  [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64], [0xC0, 0xAF], [0xE0, 0x80, 0xAF],
  [0xF0, 0x80, 0x80, 0xAF], [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80], [0xC2, 0xC2, 0x80], [0xE1, 0x80, 0xE1, 0x80, 0x80],
  [0x00], [0x7F, 0x80, 0x7F], [0xEF, 0xBB, 0xBF, 0xFF], [0xFF, 0xEF, 0xBB, 0xBF], [],
];

const decodeWith = (I, bytes, options) => new I.TextDecoder("utf-8", options).decode(new Uint8Array(bytes));

test("TextDecoder differential on invalid and truncated UTF-8", () => {
  for (const bytes of BAD_UTF8) {
    for (const options of [undefined, { ignoreBOM: true }, { fatal: true }, { fatal: true, ignoreBOM: true }]) {
      differential(`decode(${JSON.stringify(bytes)}, ${JSON.stringify(options)})`, (I) => decodeWith(I, bytes, options));
    }
  }
});

// Splits bytes at the given positions and decodes the parts as one stream.
function streamDecode(I, bytes, cuts, options) {
  const d = new I.TextDecoder("utf-8", options);
  const points = [0, ...cuts, bytes.length];
  let out = "";
  for (let i = 0; i + 1 < points.length; i++) {
    const last = i + 2 === points.length;
    out += d.decode(new Uint8Array(bytes.slice(points[i], points[i + 1])), last ? undefined : { stream: true });
  }
  return out;
}

test("TextDecoder streaming split at every byte position", () => {
  const samples = [
    [0xEF, 0xBB, 0xBF, ...new N.TextEncoder().encode("aé€😀b\uFEFFz")],
    [0xF0, 0x9F, 0x41, 0xE2, 0x82, 0xAC, 0xC3, 0xF4, 0x90, 0x80, 0xED, 0xA0, 0x80, 0xE0, 0xA0, 0xBF, 0xC3],
  ];
  for (const bytes of samples) {
    for (const options of [undefined, { ignoreBOM: true }, { fatal: true }]) {
      const whole = outcome(() => decodeWith(N, bytes, options));
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j++) {
          const label = `split ${JSON.stringify(bytes)} at ${i},${j} ${JSON.stringify(options)}`;
          differential(label, (I) => streamDecode(I, bytes, [i, j], options));
          if (!options?.fatal) assert.deepEqual(outcome(() => streamDecode(P, bytes, [i, j], options)), whole, label);
        }
      }
    }
  }
  // A decoder is reusable: a non-stream call flushes, the next call starts a new stream (BOM again).
  differential("reuse after flush", (I) => {
    const d = new I.TextDecoder();
    return [d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x61, 0xE2]), { stream: true }), d.decode(new Uint8Array([0x82])),
      d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x62])), d.decode(), d.decode(new Uint8Array([0xC3]), { stream: true }), d.decode()];
  });
});

test("TextDecoder random byte fuzz (seeded)", () => {
  const rand = prng(20240601);
  const byte = () => {
    const r = rand();
    if (r < 0.35) return Math.floor(rand() * 0x80);
    if (r < 0.65) return 0x80 + Math.floor(rand() * 0x40);
    return 0xC0 + Math.floor(rand() * 0x40);
  };
  for (let n = 0; n < 3000; n++) {
    const bytes = Array.from({ length: Math.floor(rand() * 24) }, byte);
    differential(`fuzz ${JSON.stringify(bytes)}`, (I) => decodeWith(I, bytes));
    differential(`fuzz fatal ${JSON.stringify(bytes)}`, (I) => decodeWith(I, bytes, { fatal: true }));
    const cuts = [Math.floor(rand() * (bytes.length + 1)), Math.floor(rand() * (bytes.length + 1))].sort((a, b) => a - b);
    differential(`fuzz stream ${JSON.stringify(bytes)} at ${cuts}`, (I) => streamDecode(I, bytes, cuts));
  }
});

test("TextDecoder input types, labels and options", () => {
  const bytes = [0x00, 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F, 0xE2, 0x82, 0xAC, 0x00];
  const inputs = [
    () => new Uint8Array(bytes).buffer,
    () => new DataView(new Uint8Array(bytes).buffer, 1, 8),
    () => new Uint8Array(bytes).subarray(1, 7),
    () => new Int16Array(new Uint8Array(bytes.slice(0, 10)).buffer, 2, 3),
    () => new Float64Array(new Uint8Array([...bytes, 0, 0, 0, 0, 0]).buffer, 8, 1),
    () => Buffer.from(bytes),
    () => { const sab = new SharedArrayBuffer(bytes.length); new Uint8Array(sab).set(bytes); return sab; },
    () => new Uint8ClampedArray(bytes),
    () => undefined, () => null, () => "abc", () => [0x61], () => ({ byteLength: 1 }), () => 5,
  ];
  inputs.forEach((make, i) => {
    differential(`decode input #${i}: ${String(make)}`, (I) => new I.TextDecoder().decode(make()));
  });
  // Buffers from the sandbox's own realm.
  assert.equal(inCtx("new TextDecoder().decode(new Uint8Array([0xE2, 0x82, 0xAC, 0x41]).subarray(1))"), "\uFFFD\uFFFDA");
  assert.equal(inCtx("new TextDecoder().decode(new DataView(new Uint8Array([0x41, 0x42, 0x43]).buffer, 1))"), "BC");

  const labels = ["utf-8", "UTF-8", " utf8 ", "\t\n\f\r unicode-1-1-utf-8 \r", "Unicode11UTF8", "unicode20utf8",
    "x-unicode20utf8", "utf-8\u00A0", "foo", "", "utf 8", "utf-8x", "\u000Butf-8", undefined];
  for (const label of labels) {
    differential(`label ${JSON.stringify(label)}`, (I) => {
      const d = new I.TextDecoder(label);
      return [d.encoding, d.fatal, d.ignoreBOM];
    });
  }
  for (const options of [undefined, null, {}, { fatal: 1 }, { ignoreBOM: "yes" }, { fatal: 0, ignoreBOM: true }, 5, "x"]) {
    differential(`options ${JSON.stringify(options)}`, (I) => {
      const d = new I.TextDecoder("utf-8", options);
      return [d.encoding, d.fatal, d.ignoreBOM];
    });
  }
  differential("decode options null", (I) => new I.TextDecoder().decode(new Uint8Array([0x61]), null));
  // Only UTF-8 is provided; Node (with ICU) knows other encodings.
  for (const label of ["utf-16le", "latin1", "windows-1252", "shift_jis"]) {
    assert.throws(() => new P.TextDecoder(label), (e) => e instanceof inCtx("RangeError"), label);
  }
});

test("TextDecoder is fast and correct on large inputs", () => {
  const ascii = new Uint8Array(4 << 20);
  for (let i = 0; i < ascii.length; i++) ascii[i] = 32 + (i % 90);
  let t = performance.now();
  const pText = new P.TextDecoder().decode(ascii);
  const asciiMs = performance.now() - t;
  assert.equal(pText, new N.TextDecoder().decode(ascii));
  assert.ok(asciiMs < 1500, `4 MiB ASCII took ${asciiMs.toFixed(0)} ms`);

  const mixed = new N.TextEncoder().encode("héllo wörld € 😀 ".repeat(20000) + "x".repeat(1000));
  t = performance.now();
  const pMixed = new P.TextDecoder().decode(mixed);
  const mixedMs = performance.now() - t;
  assert.equal(pMixed, new N.TextDecoder().decode(mixed));
  assert.ok(mixedMs < 1500, `${mixed.length} mixed bytes took ${mixedMs.toFixed(0)} ms`);
  assert.equal(new P.TextDecoder().decode(new P.TextEncoder().encode(pMixed)), pMixed);

  // ASCII runs just below the fast-path threshold between multi-byte characters.
  const runs = new N.TextEncoder().encode(("x".repeat(63) + "é").repeat(40000));
  t = performance.now();
  assert.equal(new P.TextDecoder().decode(runs), new N.TextDecoder().decode(runs));
  const runsMs = performance.now() - t;
  assert.ok(runsMs < 1500, `${runs.length} bytes of 63-byte ASCII runs took ${runsMs.toFixed(0)} ms`);
});

test("TextDecoder long random inputs (output buffer and ASCII-run boundaries)", () => {
  const rand = prng(4242);
  const pieces = [[0x41], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0x80], [0xF0, 0x9F], [0xEF, 0xBB, 0xBF], [0xFF]];
  for (let n = 0; n < 12; n++) {
    const bytes = [];
    while (bytes.length < 30000) {
      if (rand() < 0.3) {
        for (let k = Math.floor(rand() * 200); k > 0; k--) bytes.push(0x20 + Math.floor(rand() * 0x5F));
      } else {
        bytes.push(...pieces[Math.floor(rand() * pieces.length)]);
      }
    }
    const cut = Math.floor(rand() * bytes.length);
    differential(`long input #${n}`, (I) => decodeWith(I, bytes));
    differential(`long input #${n}, fatal`, (I) => decodeWith(I, bytes, { fatal: true }));
    differential(`long input #${n}, streamed at ${cut}`, (I) => streamDecode(I, bytes, [cut]));
  }
});

// -------------------------------------------------------------------------------------------------
// atob / btoa / DOMException
// -------------------------------------------------------------------------------------------------

test("btoa / atob differential", () => {
  let allBytes = "";
  for (let i = 0; i < 256; i++) allBytes += String.fromCharCode(i);
  const btoaInputs = ["", "a", "ab", "abc", "abcd", "\u0000\u00ff", allBytes, "é", "€", "\uD800", "a\u0100", 123, null, undefined, {}];
  for (const s of btoaInputs) differential(`btoa(${JSON.stringify(s)})`, (I) => I.btoa(s));
  const atobInputs = [
    "", "YQ", "YQ=", "YQ==", "YQ===", "YWI", "YWI=", "YWJj", " Y W J j ", "\tYW\nJj\f\r", "YQ==\n", "Y", "YWJjZ", "=", "==",
    "YQ=a", "Y=Q=", "YQ==YQ==", "ab-c", "ab_c", "ab\u00A0c", "YR==", "YR", "////", "++++", "\u000BYQ==", "YQ= =",
    " = = ", "YWJjZA==", "YWJjZA=", "YWJjZA", "YWJjZGU=", "\u0100", "AAAA", btoa(allBytes), undefined, null, 123, "ab=c",
    "abc==", "a===", "YQ\u3000==",
  ];
  for (const s of atobInputs) differential(`atob(${JSON.stringify(s)})`, (I) => I.atob(s));
  const rand = prng(99);
  for (let n = 0; n < 200; n++) {
    let s = "";
    for (let k = Math.floor(rand() * 40); k > 0; k--) s += String.fromCharCode(Math.floor(rand() * 256));
    differential(`btoa/atob round trip ${n}`, (I) => [I.btoa(s), I.atob(I.btoa(s)) === s]);
  }
  const err = outcome(() => P.atob("*"));
  assert.deepEqual(err, { threw: "DOMException", name: "InvalidCharacterError", code: 5 });
});

test("DOMException", () => {
  for (const args of [[], ["m"], ["m", "AbortError"], ["m", "NotFoundError"], ["x", "Custom"], [undefined, undefined], [1, 2], ["m", "DataCloneError"], ["m", ""]]) {
    differential(`new DOMException(${JSON.stringify(args)})`, (I) => {
      const e = new I.DOMException(...args);
      return [e.name, e.message, e.code, String(e), Object.prototype.toString.call(e), Object.keys(e)];
    });
  }
  const e = new P.DOMException("boom", "AbortError");
  assert.ok(e instanceof P.Error);
  assert.equal(P.DOMException.ABORT_ERR, 20);
  assert.equal(e.INVALID_CHARACTER_ERR, 5);
  assert.match(e.stack, /AbortError: boom/);
});

// -------------------------------------------------------------------------------------------------
// Where Node 20 deviates from the specs, the prelude follows the specs (browsers' behaviour)
// -------------------------------------------------------------------------------------------------

test("spec behaviour where Node 20 differs", () => {
  // URL Standard port state: a value not starting with a digit leaves the port unchanged
  // (Node 20 clears it for "x1" but not for "stuff").
  for (const value of ["x1", "stuff", "-1"]) {
    const u = new P.URL("http://a:9/");
    u.port = value;
    assert.equal(u.port, "9", value);
  }
  // WebIDL: null converts to the string "null" for URLSearchParams' USVString member.
  assert.equal(new P.URLSearchParams(null).toString(), "null=");
  // WebIDL: a non-object dictionary argument is a TypeError.
  assert.throws(() => new P.TextDecoder().decode(new Uint8Array([0x61]), 1), (e) => e instanceof P.TypeError);
});
