// Weft sandbox prelude: web globals for bare V8 isolates (no Node APIs).
//
// Evaluated once as a classic script in every new context, before the bundle. Defines, as
// non-enumerable, writable, configurable properties of globalThis (like browsers do):
//   DOMException, TextEncoder, TextDecoder, atob, btoa, URLSearchParams, URL
// and nothing else. Plain ES2022 for V8 10.2: no eval/new Function (code generation from strings
// is disabled), no Intl, no String.prototype.normalize or toLocale* (ICU may be absent).
//
// Specs followed: WHATWG URL (https://url.spec.whatwg.org/), WHATWG Encoding (UTF-8 only),
// HTML "forgiving-base64", WebIDL (argument counts, enumerable members, toStringTag).
// Known simplifications are marked "SIMPLIFICATION" below.
(function (global) {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // Shared helpers (WebIDL conversions, UTF-8, percent-encoding)
  // ---------------------------------------------------------------------------------------------

  const FAIL = null; // "failure" in the specs' algorithms

  function requireArgs(count, min, what) {
    if (count < min) {
      throw new TypeError(`${what}: ${min} argument${min > 1 ? "s" : ""} required, but only ${count} present.`);
    }
  }

  // WebIDL DOMString: ToString (throws on Symbols, unlike String()).
  const toStr = (v) => `${v}`;

  // WebIDL USVString: ToString, then lone surrogates -> U+FFFD.
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  function toUSV(v) {
    const s = `${v}`;
    return /[\uD800-\uDFFF]/.test(s) ? s.replace(LONE_SURROGATE, "\uFFFD") : s;
  }

  // WebIDL dictionary argument: undefined/null -> {}, other non-objects -> TypeError.
  function toDict(v, what) {
    if (v === undefined || v === null) return {};
    if (typeof v !== "object" && typeof v !== "function") throw new TypeError(`${what}: options is not an object.`);
    return v;
  }

  const asciiLower = (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

  // Binary string (code units 0..255) from bytes, in chunks to stay under the argument limit.
  const CHUNK = 8192;
  function bytesToBinary(bytes, start, end) {
    let s = "";
    for (let i = start; i < end; i += CHUNK) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(i + CHUNK, end)));
    }
    return s;
  }

  // Encoding "UTF-8 encode" into out; stops when the next scalar value does not fit
  // (TextEncoder.encodeInto semantics). Lone surrogates become U+FFFD.
  function utf8EncodeInto(s, out) {
    const n = s.length, cap = out.length;
    let i = 0, j = 0;
    while (i < n) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        if (j >= cap) break;
        out[j++] = c;
        i++;
        continue;
      }
      let units = 1;
      if (c >= 0xD800 && c <= 0xDFFF) {
        const d = c <= 0xDBFF && i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (d >= 0xDC00 && d <= 0xDFFF) {
          c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
          units = 2;
        } else {
          c = 0xFFFD;
        }
      }
      const size = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (j + size > cap) break;
      if (size === 2) {
        out[j++] = 0xC0 | (c >> 6);
      } else if (size === 3) {
        out[j++] = 0xE0 | (c >> 12);
        out[j++] = 0x80 | ((c >> 6) & 0x3F);
      } else {
        out[j++] = 0xF0 | (c >> 18);
        out[j++] = 0x80 | ((c >> 12) & 0x3F);
        out[j++] = 0x80 | ((c >> 6) & 0x3F);
      }
      out[j++] = 0x80 | (c & 0x3F);
      i += units;
    }
    return { read: i, written: j };
  }

  function utf8Length(s) {
    let len = 0;
    for (let i = 0, n = s.length; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) len += 1;
      else if (c < 0x800) len += 2;
      else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && (s.charCodeAt(i + 1) & 0xFC00) === 0xDC00) {
        len += 4;
        i++;
      } else len += 3;
    }
    return len;
  }

  function utf8Encode(s) {
    const out = new Uint8Array(utf8Length(s));
    utf8EncodeInto(s, out);
    return out;
  }

  const HEX = [];
  for (let i = 0; i < 256; i++) HEX.push("%" + (i < 16 ? "0" : "") + i.toString(16).toUpperCase());

  const isHexByte = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
  const hexVal = (b) => (b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57);

  // URL "percent-decode" of a string (decodes its UTF-8 encoding), returning bytes.
  function percentDecode(s) {
    const bytes = utf8Encode(s);
    const out = new Uint8Array(bytes.length);
    let j = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x25 && i + 2 < bytes.length && isHexByte(bytes[i + 1]) && isHexByte(bytes[i + 2])) {
        out[j++] = hexVal(bytes[i + 1]) * 16 + hexVal(bytes[i + 2]);
        i += 2;
      } else {
        out[j++] = b;
      }
    }
    return out.subarray(0, j);
  }

  // URL percent-encode sets (https://url.spec.whatwg.org/#percent-encoded-bytes), as 128-entry
  // tables for ASCII; every set contains all code points above U+007E.
  function makeSet(parent, extra) {
    const t = parent ? parent.slice() : new Uint8Array(128);
    if (!parent) {
      t.fill(1, 0, 0x20); // C0 controls
      t[0x7F] = 1;
    }
    for (let i = 0; i < extra.length; i++) t[extra.charCodeAt(i)] = 1;
    return t;
  }
  const C0_SET = makeSet(null, "");
  const FRAGMENT_SET = makeSet(C0_SET, ' "<>`');
  const QUERY_SET = makeSet(C0_SET, ' "#<>');
  const SPECIAL_QUERY_SET = makeSet(QUERY_SET, "'");
  // The path set follows the URL Standard as implemented by Node 20 / browsers of V8 10.2's
  // era: "^" is not in it (a later spec revision added it).
  const PATH_SET = makeSet(QUERY_SET, "?`{}");
  const USERINFO_SET = makeSet(PATH_SET, "/:;=@[\\]^|");
  const COMPONENT_SET = makeSet(USERINFO_SET, "$%&+,");
  const FORM_SET = makeSet(COMPONENT_SET, "!'()~");

  // "UTF-8 percent-encode" one code point (given as a string) with a percent-encode set.
  function encodeCp(c, set) {
    const cp = c.charCodeAt(0);
    if (cp < 0x80 && set[cp] === 0) return c;
    let out = "";
    for (const b of utf8Encode(c)) out += HEX[b];
    return out;
  }

  function encodeStr(s, set, spaceAsPlus) {
    let out = "";
    for (const c of s) out += spaceAsPlus && c === " " ? "+" : encodeCp(c, set);
    return out;
  }

  function defineConst(obj, name, value) {
    Object.defineProperty(obj, name, { value, writable: false, enumerable: true, configurable: false });
  }

  // WebIDL: operations and attributes are enumerable; interfaces have a @@toStringTag.
  function webIDLClass(C, tag) {
    for (const obj of [C, C.prototype]) {
      for (const key of Object.getOwnPropertyNames(obj)) {
        if (key === "constructor" || (obj === C && (key === "length" || key === "name" || key === "prototype"))) continue;
        const desc = Object.getOwnPropertyDescriptor(obj, key);
        if (!desc.enumerable && desc.configurable) {
          desc.enumerable = true;
          Object.defineProperty(obj, key, desc);
        }
      }
    }
    Object.defineProperty(C.prototype, Symbol.toStringTag, { value: tag, configurable: true });
  }

  // Cross-realm brand checks for buffer sources.
  const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  const sabByteLength = typeof SharedArrayBuffer === "function"
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength").get
    : null;
  const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;

  function hasSlot(getter, x) {
    if (getter === null || x === null || typeof x !== "object") return false;
    try {
      getter.call(x);
      return true;
    } catch {
      return false;
    }
  }

  // WebIDL AllowSharedBufferSource -> Uint8Array view of the same bytes.
  function toBytes(x, what) {
    if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    if (hasSlot(abByteLength, x) || hasSlot(sabByteLength, x)) return new Uint8Array(x);
    throw new TypeError(`${what}: The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.`);
  }

  // ---------------------------------------------------------------------------------------------
  // DOMException (WebIDL)
  // ---------------------------------------------------------------------------------------------

  // Legacy error names with their codes (index + 1) and constant names; "" = no name maps to it.
  const LEGACY_CODES = [
    ["IndexSizeError", "INDEX_SIZE_ERR"], ["", "DOMSTRING_SIZE_ERR"],
    ["HierarchyRequestError", "HIERARCHY_REQUEST_ERR"], ["WrongDocumentError", "WRONG_DOCUMENT_ERR"],
    ["InvalidCharacterError", "INVALID_CHARACTER_ERR"], ["", "NO_DATA_ALLOWED_ERR"],
    ["NoModificationAllowedError", "NO_MODIFICATION_ALLOWED_ERR"], ["NotFoundError", "NOT_FOUND_ERR"],
    ["NotSupportedError", "NOT_SUPPORTED_ERR"], ["InUseAttributeError", "INUSE_ATTRIBUTE_ERR"],
    ["InvalidStateError", "INVALID_STATE_ERR"], ["SyntaxError", "SYNTAX_ERR"],
    ["InvalidModificationError", "INVALID_MODIFICATION_ERR"], ["NamespaceError", "NAMESPACE_ERR"],
    ["InvalidAccessError", "INVALID_ACCESS_ERR"], ["", "VALIDATION_ERR"],
    ["TypeMismatchError", "TYPE_MISMATCH_ERR"], ["SecurityError", "SECURITY_ERR"],
    ["NetworkError", "NETWORK_ERR"], ["AbortError", "ABORT_ERR"], ["URLMismatchError", "URL_MISMATCH_ERR"],
    ["QuotaExceededError", "QUOTA_EXCEEDED_ERR"], ["TimeoutError", "TIMEOUT_ERR"],
    ["InvalidNodeTypeError", "INVALID_NODE_TYPE_ERR"], ["DataCloneError", "DATA_CLONE_ERR"],
  ];

  class DOMException {
    #name;
    #message;
    constructor(message = "", name = "Error") {
      this.#message = toStr(message);
      this.#name = toStr(name);
      if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(this, DOMException);
    }
    get name() { return this.#name; }
    get message() { return this.#message; }
    get code() {
      const name = this.#name;
      if (name === "") return 0;
      const i = LEGACY_CODES.findIndex((entry) => entry[0] === name);
      return i + 1;
    }
  }
  Object.setPrototypeOf(DOMException.prototype, Error.prototype);
  webIDLClass(DOMException, "DOMException");
  LEGACY_CODES.forEach(([, constant], i) => {
    defineConst(DOMException, constant, i + 1);
    defineConst(DOMException.prototype, constant, i + 1);
  });

  const invalidCharacter = (message) => new DOMException(message, "InvalidCharacterError");

  // ---------------------------------------------------------------------------------------------
  // TextEncoder / TextDecoder (WHATWG Encoding, UTF-8 only)
  // ---------------------------------------------------------------------------------------------

  class TextEncoder {
    #brand = true;
    get encoding() {
      this.#brand;
      return "utf-8";
    }
    encode(input = "") {
      this.#brand;
      return utf8Encode(toStr(input));
    }
    encodeInto(source, destination) {
      this.#brand;
      requireArgs(arguments.length, 2, "TextEncoder.encodeInto");
      source = toStr(source);
      if (!ArrayBuffer.isView(destination) || typedArrayTag.call(destination) !== "Uint8Array") {
        throw new TypeError("TextEncoder.encodeInto: parameter 2 is not of type 'Uint8Array'.");
      }
      return utf8EncodeInto(source, destination);
    }
  }
  webIDLClass(TextEncoder, "TextEncoder");

  // Every label of the UTF-8 encoding in the Encoding Standard; other encodings are not provided.
  const UTF8_LABELS = ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"];
  const OUT_LIMIT = 8192;

  class TextDecoder {
    #fatal;
    #ignoreBOM;
    #bomSeen = false;
    #doNotFlush = false;
    // UTF-8 decoder state (Encoding Standard 9.1.1).
    #needed = 0;
    #seen = 0;
    #cp = 0;
    #lower = 0x80;
    #upper = 0xBF;

    constructor(label = "utf-8", options = undefined) {
      const name = asciiLower(toStr(label).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, ""));
      if (!UTF8_LABELS.includes(name)) {
        throw new RangeError(`TextDecoder: the encoding label provided ('${name}') is not supported.`);
      }
      const dict = toDict(options, "TextDecoder");
      this.#fatal = Boolean(dict.fatal);
      this.#ignoreBOM = Boolean(dict.ignoreBOM);
    }

    get encoding() {
      this.#fatal;
      return "utf-8";
    }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }

    decode(input = undefined, options = undefined) {
      this.#fatal; // brand check before touching the arguments
      const bytes = input === undefined ? new Uint8Array(0) : toBytes(input, "TextDecoder.decode");
      const stream = Boolean(toDict(options, "TextDecoder.decode").stream);
      if (!this.#doNotFlush) {
        this.#resetDecoder();
        this.#bomSeen = false;
      }
      this.#doNotFlush = stream;
      let out = this.#run(bytes, !stream);
      // "Serialize I/O queue": strip one leading BOM at the start of the stream.
      if (!this.#ignoreBOM && !this.#bomSeen && out.length > 0) {
        this.#bomSeen = true;
        if (out.charCodeAt(0) === 0xFEFF) out = out.slice(1);
      }
      return out;
    }

    #resetDecoder() {
      this.#needed = this.#seen = this.#cp = 0;
      this.#lower = 0x80;
      this.#upper = 0xBF;
    }

    #error() {
      this.#resetDecoder();
      this.#doNotFlush = false;
      return new TypeError("TextDecoder.decode: the encoded data was not valid UTF-8.");
    }

    // The UTF-8 decoder's handler over all bytes (then end-of-queue when flushing). Output
    // goes through a UTF-16 buffer; long ASCII runs go straight to String.fromCharCode.
    #run(bytes, flush) {
      const fatal = this.#fatal, n = bytes.length;
      let needed = this.#needed, seen = this.#seen, cp = this.#cp, lower = this.#lower, upper = this.#upper;
      const buf = new Uint16Array(Math.min(n, OUT_LIMIT) + 68);
      let result = "", j = 0, i = 0;
      while (i < n) {
        if (j >= OUT_LIMIT) {
          result += String.fromCharCode.apply(null, buf.subarray(0, j));
          j = 0;
        }
        const b = bytes[i];
        if (needed === 0) {
          if (b < 0x80) {
            let k = i + 1;
            while (k < n && bytes[k] < 0x80) k++;
            if (k - i >= 64) {
              if (j > 0) result += String.fromCharCode.apply(null, buf.subarray(0, j));
              j = 0;
              result += bytesToBinary(bytes, i, k);
            } else {
              while (i < k) buf[j++] = bytes[i++]; // short run: at most 63 units (buf has room)
            }
            i = k;
            continue;
          }
          i++;
          if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
            cp = b & 0x1F;
          } else if (b >= 0xE0 && b <= 0xEF) {
            if (b === 0xE0) lower = 0xA0;
            else if (b === 0xED) upper = 0x9F;
            needed = 2;
            cp = b & 0xF;
          } else if (b >= 0xF0 && b <= 0xF4) {
            if (b === 0xF0) lower = 0x90;
            else if (b === 0xF4) upper = 0x8F;
            needed = 3;
            cp = b & 0x7;
          } else {
            if (fatal) throw this.#error();
            buf[j++] = 0xFFFD;
          }
          continue;
        }
        if (b < lower || b > upper) {
          // Not a continuation byte here: emit U+FFFD for the maximal subpart so far and
          // reprocess this byte ("prepend byte to stream").
          needed = seen = cp = 0;
          lower = 0x80;
          upper = 0xBF;
          if (fatal) throw this.#error();
          buf[j++] = 0xFFFD;
          continue;
        }
        i++;
        lower = 0x80;
        upper = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
        if (++seen !== needed) continue;
        if (cp > 0xFFFF) {
          cp -= 0x10000;
          buf[j++] = 0xD800 + (cp >> 10);
          buf[j++] = 0xDC00 + (cp & 0x3FF);
        } else {
          buf[j++] = cp;
        }
        needed = seen = cp = 0;
      }
      if (flush && needed !== 0) {
        // end-of-queue inside a sequence
        needed = seen = cp = 0;
        lower = 0x80;
        upper = 0xBF;
        if (fatal) throw this.#error();
        buf[j++] = 0xFFFD;
      }
      this.#needed = needed;
      this.#seen = seen;
      this.#cp = cp;
      this.#lower = lower;
      this.#upper = upper;
      if (j > 0) result += String.fromCharCode.apply(null, buf.subarray(0, j));
      return result;
    }
  }
  webIDLClass(TextDecoder, "TextDecoder");

  // "UTF-8 decode without BOM" (replacement mode), used by the URL algorithms.
  const internalDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const utf8DecodeNoBOM = (bytes) => internalDecoder.decode(bytes);

  // ---------------------------------------------------------------------------------------------
  // atob / btoa (HTML, forgiving-base64)
  // ---------------------------------------------------------------------------------------------

  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const B64_VALUE = new Uint8Array(128).fill(255);
  for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;

  function btoa(data) {
    requireArgs(arguments.length, 1, "btoa");
    data = toStr(data);
    if (/[^\0-\xFF]/.test(data)) throw invalidCharacter("Invalid character");
    const n = data.length;
    let out = "";
    for (let i = 0; i < n; i += 3) {
      const rest = n - i;
      const a = data.charCodeAt(i), b = rest > 1 ? data.charCodeAt(i + 1) : 0, c = rest > 2 ? data.charCodeAt(i + 2) : 0;
      out += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4)] +
        (rest > 1 ? B64[((b & 15) << 2) | (c >> 6)] : "=") + (rest > 2 ? B64[c & 63] : "=");
    }
    return out;
  }

  function atob(data) {
    requireArgs(arguments.length, 1, "atob");
    // forgiving-base64 decode, steps 1-4.
    data = toStr(data).replace(/[\t\n\f\r ]+/g, "");
    if (data.length % 4 === 0) data = data.replace(/==?$/, "");
    if (data.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(data)) {
      throw invalidCharacter("The string to be decoded is not correctly encoded.");
    }
    // Steps 5-8: 6 bits per character, whole bytes only (leftover bits are discarded).
    const out = new Uint8Array((data.length * 3) >> 2);
    let buffer = 0, bits = 0, j = 0;
    for (let i = 0; i < data.length; i++) {
      buffer = ((buffer << 6) | B64_VALUE[data.charCodeAt(i)]) & 0xFFFFFF;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (buffer >> bits) & 0xFF;
      }
    }
    return bytesToBinary(out, 0, j);
  }

  // ---------------------------------------------------------------------------------------------
  // application/x-www-form-urlencoded (URL Standard 5)
  // ---------------------------------------------------------------------------------------------

  function formDecode(s) {
    if (s.indexOf("%") < 0 && s.indexOf("+") < 0) return s;
    return utf8DecodeNoBOM(percentDecode(s.replace(/\+/g, " ")));
  }

  // 5.1 parser: list of [name, value] pairs.
  function formParse(input) {
    const list = [];
    for (const seq of input.split("&")) {
      if (seq === "") continue;
      const eq = seq.indexOf("=");
      const name = eq < 0 ? seq : seq.slice(0, eq);
      const value = eq < 0 ? "" : seq.slice(eq + 1);
      list.push([formDecode(name), formDecode(value)]);
    }
    return list;
  }

  // 5.2 serializer.
  function formSerialize(list) {
    let out = "";
    for (let i = 0; i < list.length; i++) {
      if (i > 0) out += "&";
      out += encodeStr(list[i][0], FORM_SET, true) + "=" + encodeStr(list[i][1], FORM_SET, true);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Hosts (URL Standard 3)
  // ---------------------------------------------------------------------------------------------

  const FORBIDDEN_HOST = /[\0\t\n\r #/:<>?@[\\\]^|]/;
  const FORBIDDEN_DOMAIN = /[\0-\x20#%/:<>?@[\\\]^|\x7F]/;
  const isDigit = (c) => c >= "0" && c <= "9";
  const isHexDigit = (c) => isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");
  const isAlpha = (c) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");

  // Punycode (RFC 3492) for domain labels, on arrays of code points.
  const PUNY_BASE = 36, PUNY_TMIN = 1, PUNY_TMAX = 26, PUNY_SKEW = 38, PUNY_DAMP = 700;

  function punyAdapt(delta, numPoints, firstTime) {
    delta = firstTime ? Math.floor(delta / PUNY_DAMP) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    let k = 0;
    while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) >> 1) {
      delta = Math.floor(delta / (PUNY_BASE - PUNY_TMIN));
      k += PUNY_BASE;
    }
    return k + Math.floor(((PUNY_BASE - PUNY_TMIN + 1) * delta) / (delta + PUNY_SKEW));
  }

  const punyThreshold = (k, bias) => (k <= bias ? PUNY_TMIN : k >= bias + PUNY_TMAX ? PUNY_TMAX : k - bias);
  const punyDigit = (d) => String.fromCharCode(d < 26 ? 0x61 + d : 0x16 + d); // a..z, 0..9

  function punycodeEncode(cps) {
    let n = 0x80, delta = 0, bias = 72;
    let out = "";
    for (const cp of cps) if (cp < 0x80) out += String.fromCharCode(cp);
    const basic = out.length;
    let handled = basic;
    if (basic > 0) out += "-";
    while (handled < cps.length) {
      let m = 0x10FFFF;
      for (const cp of cps) if (cp >= n && cp < m) m = cp;
      delta += (m - n) * (handled + 1);
      n = m;
      for (const cp of cps) {
        if (cp < n) delta++;
        if (cp !== n) continue;
        let q = delta;
        for (let k = PUNY_BASE; ; k += PUNY_BASE) {
          const t = punyThreshold(k, bias);
          if (q < t) break;
          out += punyDigit(t + ((q - t) % (PUNY_BASE - t)));
          q = Math.floor((q - t) / (PUNY_BASE - t));
        }
        out += punyDigit(q);
        bias = punyAdapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
      delta++;
      n++;
    }
    return out;
  }

  // Returns an array of code points, or FAIL.
  function punycodeDecode(s) {
    let n = 0x80, i = 0, bias = 72;
    const dash = s.lastIndexOf("-");
    const out = [];
    for (let p = 0; p < Math.max(dash, 0); p++) {
      const c = s.charCodeAt(p);
      if (c >= 0x80) return FAIL;
      out.push(c);
    }
    for (let p = dash > 0 ? dash + 1 : 0; p < s.length; ) {
      const oldi = i;
      for (let w = 1, k = PUNY_BASE; ; k += PUNY_BASE) {
        if (p >= s.length) return FAIL;
        const c = s.charCodeAt(p++);
        const digit = c >= 0x30 && c <= 0x39 ? c - 22 : c >= 0x61 && c <= 0x7A ? c - 0x61 : c >= 0x41 && c <= 0x5A ? c - 0x41 : PUNY_BASE;
        if (digit >= PUNY_BASE) return FAIL;
        i += digit * w;
        if (i > 0x7FFFFFFF) return FAIL;
        const t = punyThreshold(k, bias);
        if (digit < t) break;
        w *= PUNY_BASE - t;
      }
      bias = punyAdapt(i - oldi, out.length + 1, oldi === 0);
      n += Math.floor(i / (out.length + 1));
      if (n > 0x10FFFF) return FAIL;
      i %= out.length + 1;
      out.splice(i++, 0, n);
    }
    return out;
  }

  // domain to ASCII (3.3), beStrict = false.
  // SIMPLIFICATION: instead of full UTS #46 processing (mapping table, NFC, bidi and joiner rules)
  // this lower-cases ASCII labels, lower-cases non-ASCII labels with toLowerCase() and
  // Punycode-encodes them to "xn--" form, maps the ideographic full stops U+3002/U+FF0E/U+FF61
  // to "." and drops U+00AD (soft hyphen). Characters that UTS #46 would map (e.g. full-width
  // letters, ligatures) or reject are Punycode-encoded as they are. "xn--" labels must decode to
  // non-ASCII text without controls that encodes back to the same label.
  function domainToASCII(domain) {
    if (domain.indexOf("\uFFFD") >= 0) return FAIL; // U+FFFD is disallowed by UTS #46
    const labels = domain.replace(/[\u3002\uFF0E\uFF61]/g, ".").replace(/\u00AD/g, "").split(".");
    for (let i = 0; i < labels.length; i++) {
      let label = labels[i];
      if (/[^\0-\x7F]/.test(label)) label = label.toLowerCase();
      if (/[^\0-\x7F]/.test(label)) {
        label = "xn--" + punycodeEncode(Array.from(label, (c) => c.codePointAt(0)));
      } else {
        label = asciiLower(label);
        if (label.startsWith("xn--")) {
          const decoded = punycodeDecode(label.slice(4));
          if (decoded === FAIL || decoded.length === 0 || decoded.every((c) => c < 0x80) ||
              decoded.some((c) => c < 0x20 || (c >= 0x7F && c < 0xA0)) ||
              "xn--" + punycodeEncode(decoded) !== label) {
            return FAIL;
          }
        }
      }
      labels[i] = label;
    }
    const result = labels.join(".");
    if (result === "" || FORBIDDEN_DOMAIN.test(result)) return FAIL;
    return result;
  }

  // IPv4 number parser (3.5).
  function parseIPv4Number(s) {
    if (s === "") return FAIL;
    let radix = 10;
    if (s.length >= 2 && s[0] === "0" && (s[1] === "x" || s[1] === "X")) {
      s = s.slice(2);
      radix = 16;
    } else if (s.length >= 2 && s[0] === "0") {
      s = s.slice(1);
      radix = 8;
    }
    if (s === "") return 0;
    const valid = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
    return valid.test(s) ? parseInt(s, radix) : FAIL;
  }

  // ends in a number checker (3.5).
  function endsInANumber(s) {
    const parts = s.split(".");
    if (parts[parts.length - 1] === "") {
      if (parts.length === 1) return false;
      parts.pop();
    }
    const last = parts[parts.length - 1];
    if (/^[0-9]+$/.test(last)) return true;
    return /^0[xX][0-9a-fA-F]*$/.test(last); // parsing as an IPv4 number succeeds
  }

  // IPv4 parser (3.5); returns a number or FAIL.
  function parseIPv4(s) {
    const parts = s.split(".");
    if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
    if (parts.length > 4) return FAIL;
    const numbers = [];
    for (const part of parts) {
      const n = parseIPv4Number(part);
      if (n === FAIL) return FAIL;
      numbers.push(n);
    }
    const last = numbers.pop();
    if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return FAIL;
    let ipv4 = last;
    numbers.forEach((n, i) => { ipv4 += n * 256 ** (3 - i); });
    return ipv4;
  }

  // IPv4 serializer (3.6).
  function serializeIPv4(n) {
    const out = [];
    for (let i = 0; i < 4; i++) {
      out.unshift(n % 256);
      n = Math.floor(n / 256);
    }
    return out.join(".");
  }

  // IPv6 parser (3.5); returns 8 pieces or FAIL.
  function parseIPv6(s) {
    const address = [0, 0, 0, 0, 0, 0, 0, 0];
    let pieceIndex = 0, compress = null, p = 0;
    if (s[p] === ":") {
      if (s[p + 1] !== ":") return FAIL;
      p += 2;
      compress = ++pieceIndex;
    }
    while (p < s.length) {
      if (pieceIndex === 8) return FAIL;
      if (s[p] === ":") {
        if (compress !== null) return FAIL;
        p++;
        compress = ++pieceIndex;
        continue;
      }
      let value = 0, length = 0;
      while (length < 4 && isHexDigit(s[p])) {
        value = value * 0x10 + parseInt(s[p], 16);
        p++;
        length++;
      }
      if (s[p] === ".") {
        // IPv4 in IPv6
        if (length === 0) return FAIL;
        p -= length;
        if (pieceIndex > 6) return FAIL;
        let numbersSeen = 0;
        while (p < s.length) {
          let ipv4Piece = null;
          if (numbersSeen > 0) {
            if (s[p] === "." && numbersSeen < 4) p++;
            else return FAIL;
          }
          if (!isDigit(s[p])) return FAIL;
          while (isDigit(s[p])) {
            const number = s.charCodeAt(p) - 0x30;
            if (ipv4Piece === null) ipv4Piece = number;
            else if (ipv4Piece === 0) return FAIL;
            else ipv4Piece = ipv4Piece * 10 + number;
            if (ipv4Piece > 255) return FAIL;
            p++;
          }
          address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
          numbersSeen++;
          if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
        }
        if (numbersSeen !== 4) return FAIL;
        break;
      } else if (s[p] === ":") {
        p++;
        if (p >= s.length) return FAIL;
      } else if (p < s.length) {
        return FAIL;
      }
      address[pieceIndex++] = value;
    }
    if (compress !== null) {
      let swaps = pieceIndex - compress;
      pieceIndex = 7;
      while (pieceIndex !== 0 && swaps > 0) {
        const tmp = address[pieceIndex];
        address[pieceIndex] = address[compress + swaps - 1];
        address[compress + swaps - 1] = tmp;
        pieceIndex--;
        swaps--;
      }
    } else if (pieceIndex !== 8) {
      return FAIL;
    }
    return address;
  }

  // IPv6 serializer (3.6): compress the first longest run of two or more zero pieces.
  function serializeIPv6(address) {
    let compress = -1, longest = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && address[j] === 0) j++;
      if (j - i > longest) {
        longest = j - i;
        compress = i;
      }
      i = j === i ? i + 1 : j;
    }
    let out = "";
    for (let i = 0; i < 8; i++) {
      if (i === compress) {
        out += i === 0 ? "::" : ":";
        i += longest - 1;
        continue;
      }
      out += address[i].toString(16);
      if (i !== 7) out += ":";
    }
    return out;
  }

  // host parser (3.5); hosts are kept serialized (3.6), "" is the empty host.
  function parseHost(input, isOpaque) {
    if (input[0] === "[") {
      if (input[input.length - 1] !== "]") return FAIL;
      const address = parseIPv6(input.slice(1, -1));
      return address === FAIL ? FAIL : "[" + serializeIPv6(address) + "]";
    }
    if (isOpaque) {
      // opaque-host parser
      if (FORBIDDEN_HOST.test(input)) return FAIL;
      return encodeStr(input, C0_SET, false);
    }
    const asciiDomain = domainToASCII(utf8DecodeNoBOM(percentDecode(input)));
    if (asciiDomain === FAIL) return FAIL;
    if (endsInANumber(asciiDomain)) {
      const ipv4 = parseIPv4(asciiDomain);
      return ipv4 === FAIL ? FAIL : serializeIPv4(ipv4);
    }
    return asciiDomain;
  }

  // ---------------------------------------------------------------------------------------------
  // URL records and the basic URL parser (URL Standard 4)
  // ---------------------------------------------------------------------------------------------

  const SPECIAL_PORTS = new Map([["ftp", 21], ["file", null], ["http", 80], ["https", 443], ["ws", 80], ["wss", 443]]);
  const isSpecial = (url) => SPECIAL_PORTS.has(url.scheme);
  const defaultPort = (scheme) => (SPECIAL_PORTS.has(scheme) ? SPECIAL_PORTS.get(scheme) : null);
  const hasOpaquePath = (url) => typeof url.path === "string";
  const includesCredentials = (url) => url.username !== "" || url.password !== "";
  const cannotHaveCredentialsOrPort = (url) => url.host === null || url.host === "" || url.scheme === "file";

  function newURLRecord() {
    // path: list of segments, or a string for an opaque path.
    return { scheme: "", username: "", password: "", host: null, port: null, path: [], query: null, fragment: null };
  }

  // Windows drive letters (4.1).
  const isDriveLetter = (s, normalizedOnly) =>
    typeof s === "string" && s.length === 2 && isAlpha(s[0]) && (s[1] === ":" || (!normalizedOnly && s[1] === "|"));
  function startsWithDriveLetter(chars, p) {
    return chars.length - p >= 2 && isDriveLetter(chars[p] + chars[p + 1], false) &&
      (chars.length - p === 2 || "/\\?#".includes(chars[p + 2]));
  }

  const isSingleDot = (s) => s === "." || asciiLower(s) === "%2e";
  function isDoubleDot(s) {
    s = asciiLower(s);
    return s === ".." || s === ".%2e" || s === "%2e." || s === "%2e%2e";
  }

  // shorten a URL's path (4.1).
  function shortenPath(url) {
    if (url.scheme === "file" && url.path.length === 1 && isDriveLetter(url.path[0], true)) return;
    url.path.pop();
  }

  // potentially strip trailing spaces from an opaque path (4.4).
  function stripTrailingSpaces(url) {
    if (!hasOpaquePath(url) || url.fragment !== null || url.query !== null) return;
    url.path = url.path.replace(/ +$/, "");
  }

  const SCHEME_START = 1, SCHEME = 2, NO_SCHEME = 3, SPECIAL_RELATIVE_OR_AUTHORITY = 4, PATH_OR_AUTHORITY = 5,
    RELATIVE = 6, RELATIVE_SLASH = 7, SPECIAL_AUTHORITY_SLASHES = 8, SPECIAL_AUTHORITY_IGNORE_SLASHES = 9,
    AUTHORITY = 10, HOST = 11, HOSTNAME = 12, PORT = 13, FILE = 14, FILE_SLASH = 15, FILE_HOST = 16,
    PATH_START = 17, PATH = 18, OPAQUE_PATH = 19, QUERY = 20, FRAGMENT = 21;

  // basic URL parser (4.4). Returns the URL record or FAIL; with a state override it modifies
  // url in place (the setters ignore the return value).
  function basicParse(input, base, url, override) {
    if (!url) {
      url = newURLRecord();
      input = input.replace(/^[\0-\x20]+|[\0-\x20]+$/g, "");
    }
    input = input.replace(/[\t\n\r]/g, "");
    const chars = Array.from(input); // code points; chars[length] is EOF (undefined)
    let state = override || SCHEME_START;
    let buffer = "", atSignSeen = false, insideBrackets = false, passwordTokenSeen = false;

    for (let p = 0; p <= chars.length; p++) {
      const c = chars[p];
      switch (state) {
        case SCHEME_START:
          if (isAlpha(c)) {
            buffer += c.toLowerCase();
            state = SCHEME;
          } else if (!override) {
            state = NO_SCHEME;
            p--;
          } else {
            return FAIL;
          }
          break;

        case SCHEME:
          if (isAlpha(c) || isDigit(c) || c === "+" || c === "-" || c === ".") {
            buffer += c.toLowerCase();
          } else if (c === ":") {
            if (override) {
              if (SPECIAL_PORTS.has(url.scheme) !== SPECIAL_PORTS.has(buffer)) return url;
              if ((includesCredentials(url) || url.port !== null) && buffer === "file") return url;
              if (url.scheme === "file" && url.host === "") return url;
            }
            url.scheme = buffer;
            if (override) {
              if (url.port === defaultPort(url.scheme)) url.port = null;
              return url;
            }
            buffer = "";
            if (url.scheme === "file") {
              state = FILE;
            } else if (isSpecial(url) && base && base.scheme === url.scheme) {
              state = SPECIAL_RELATIVE_OR_AUTHORITY; // base is special too
            } else if (isSpecial(url)) {
              state = SPECIAL_AUTHORITY_SLASHES;
            } else if (chars[p + 1] === "/") {
              state = PATH_OR_AUTHORITY;
              p++;
            } else {
              url.path = "";
              state = OPAQUE_PATH;
            }
          } else if (!override) {
            buffer = "";
            state = NO_SCHEME;
            p = -1; // start over from the first code point
          } else {
            return FAIL;
          }
          break;

        case NO_SCHEME:
          if (!base || (hasOpaquePath(base) && c !== "#")) return FAIL;
          if (hasOpaquePath(base)) {
            url.scheme = base.scheme;
            url.path = base.path;
            url.query = base.query;
            url.fragment = "";
            state = FRAGMENT;
          } else {
            state = base.scheme !== "file" ? RELATIVE : FILE;
            p--;
          }
          break;

        case SPECIAL_RELATIVE_OR_AUTHORITY:
          if (c === "/" && chars[p + 1] === "/") {
            state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
            p++;
          } else {
            state = RELATIVE;
            p--;
          }
          break;

        case PATH_OR_AUTHORITY:
          if (c === "/") {
            state = AUTHORITY;
          } else {
            state = PATH;
            p--;
          }
          break;

        case RELATIVE:
          url.scheme = base.scheme;
          if (c === "/" || (isSpecial(url) && c === "\\")) {
            state = RELATIVE_SLASH;
          } else {
            url.username = base.username;
            url.password = base.password;
            url.host = base.host;
            url.port = base.port;
            url.path = base.path.slice();
            url.query = base.query;
            if (c === "?") {
              url.query = "";
              state = QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            } else if (c !== undefined) {
              url.query = null;
              shortenPath(url);
              state = PATH;
              p--;
            }
          }
          break;

        case RELATIVE_SLASH:
          if (isSpecial(url) && (c === "/" || c === "\\")) {
            state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          } else if (c === "/") {
            state = AUTHORITY;
          } else {
            url.username = base.username;
            url.password = base.password;
            url.host = base.host;
            url.port = base.port;
            state = PATH;
            p--;
          }
          break;

        case SPECIAL_AUTHORITY_SLASHES:
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          if (c === "/" && chars[p + 1] === "/") p++;
          else p--;
          break;

        case SPECIAL_AUTHORITY_IGNORE_SLASHES:
          if (c !== "/" && c !== "\\") {
            state = AUTHORITY;
            p--;
          }
          break;

        case AUTHORITY:
          if (c === "@") {
            if (atSignSeen) buffer = "%40" + buffer;
            atSignSeen = true;
            for (const cp of buffer) {
              if (cp === ":" && !passwordTokenSeen) {
                passwordTokenSeen = true;
                continue;
              }
              if (passwordTokenSeen) url.password += encodeCp(cp, USERINFO_SET);
              else url.username += encodeCp(cp, USERINFO_SET);
            }
            buffer = "";
          } else if (c === undefined || c === "/" || c === "?" || c === "#" || (isSpecial(url) && c === "\\")) {
            if (atSignSeen && buffer === "") return FAIL;
            p -= Array.from(buffer).length + 1;
            buffer = "";
            state = HOST;
          } else {
            buffer += c;
          }
          break;

        case HOST:
        case HOSTNAME:
          if (override && url.scheme === "file") {
            p--;
            state = FILE_HOST;
          } else if (c === ":" && !insideBrackets) {
            if (buffer === "" || override === HOSTNAME) return FAIL;
            const host = parseHost(buffer, !isSpecial(url));
            if (host === FAIL) return FAIL;
            url.host = host;
            buffer = "";
            state = PORT;
          } else if (c === undefined || c === "/" || c === "?" || c === "#" || (isSpecial(url) && c === "\\")) {
            p--;
            if (isSpecial(url) && buffer === "") return FAIL;
            if (override && buffer === "" && (includesCredentials(url) || url.port !== null)) return FAIL;
            const host = parseHost(buffer, !isSpecial(url));
            if (host === FAIL) return FAIL;
            url.host = host;
            buffer = "";
            state = PATH_START;
            if (override) return url;
          } else {
            if (c === "[") insideBrackets = true;
            if (c === "]") insideBrackets = false;
            buffer += c;
          }
          break;

        case PORT:
          if (isDigit(c)) {
            buffer += c;
          } else if (c === undefined || c === "/" || c === "?" || c === "#" || (isSpecial(url) && c === "\\") || override) {
            if (buffer !== "") {
              const port = parseInt(buffer, 10);
              if (port > 65535) return FAIL;
              url.port = port === defaultPort(url.scheme) ? null : port;
              buffer = "";
            }
            if (override) return url;
            state = PATH_START;
            p--;
          } else {
            return FAIL;
          }
          break;

        case FILE:
          url.scheme = "file";
          url.host = "";
          if (c === "/" || c === "\\") {
            state = FILE_SLASH;
          } else if (base && base.scheme === "file") {
            url.host = base.host;
            url.path = base.path.slice();
            url.query = base.query;
            if (c === "?") {
              url.query = "";
              state = QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            } else if (c !== undefined) {
              url.query = null;
              if (!startsWithDriveLetter(chars, p)) shortenPath(url);
              else url.path = [];
              state = PATH;
              p--;
            }
          } else {
            state = PATH;
            p--;
          }
          break;

        case FILE_SLASH:
          if (c === "/" || c === "\\") {
            state = FILE_HOST;
          } else {
            if (base && base.scheme === "file") {
              url.host = base.host;
              if (!startsWithDriveLetter(chars, p) && isDriveLetter(base.path[0], true)) url.path.push(base.path[0]);
            }
            state = PATH;
            p--;
          }
          break;

        case FILE_HOST:
          if (c === undefined || c === "/" || c === "\\" || c === "?" || c === "#") {
            p--;
            if (!override && isDriveLetter(buffer, false)) {
              state = PATH; // buffer is kept and becomes the first path segment
            } else if (buffer === "") {
              url.host = "";
              if (override) return url;
              state = PATH_START;
            } else {
              let host = parseHost(buffer, !isSpecial(url));
              if (host === FAIL) return FAIL;
              if (host === "localhost") host = "";
              url.host = host;
              if (override) return url;
              buffer = "";
              state = PATH_START;
            }
          } else {
            buffer += c;
          }
          break;

        case PATH_START:
          if (isSpecial(url)) {
            state = PATH;
            if (c !== "/" && c !== "\\") p--;
          } else if (!override && c === "?") {
            url.query = "";
            state = QUERY;
          } else if (!override && c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== undefined) {
            state = PATH;
            if (c !== "/") p--;
          } else if (override && url.host === null) {
            url.path.push("");
          }
          break;

        case PATH: {
          const slash = c === "/" || (isSpecial(url) && c === "\\");
          if (c === undefined || slash || (!override && (c === "?" || c === "#"))) {
            if (isDoubleDot(buffer)) {
              shortenPath(url);
              if (!slash) url.path.push("");
            } else if (isSingleDot(buffer)) {
              if (!slash) url.path.push("");
            } else {
              if (url.scheme === "file" && url.path.length === 0 && isDriveLetter(buffer, false)) {
                buffer = buffer[0] + ":";
              }
              url.path.push(buffer);
            }
            buffer = "";
            if (c === "?") {
              url.query = "";
              state = QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            }
          } else {
            buffer += encodeCp(c, PATH_SET);
          }
          break;
        }

        case OPAQUE_PATH:
          if (c === "?") {
            url.query = "";
            state = QUERY;
          } else if (c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== undefined) {
            url.path += encodeCp(c, C0_SET);
          }
          break;

        case QUERY:
          if ((!override && c === "#") || c === undefined) {
            url.query += encodeStr(buffer, isSpecial(url) ? SPECIAL_QUERY_SET : QUERY_SET, false);
            buffer = "";
            if (c === "#") {
              url.fragment = "";
              state = FRAGMENT;
            }
          } else {
            buffer += c;
          }
          break;

        case FRAGMENT:
          if (c !== undefined) url.fragment += encodeCp(c, FRAGMENT_SET);
          break;
      }
    }
    return url;
  }

  // URL path serializer (4.5).
  const serializePath = (url) => (hasOpaquePath(url) ? url.path : url.path.map((s) => "/" + s).join(""));

  // URL serializer (4.5).
  function serializeURL(url, excludeFragment) {
    let out = url.scheme + ":";
    if (url.host !== null) {
      out += "//";
      if (includesCredentials(url)) {
        out += url.username;
        if (url.password !== "") out += ":" + url.password;
        out += "@";
      }
      out += url.host;
      if (url.port !== null) out += ":" + url.port;
    } else if (!hasOpaquePath(url) && url.path.length > 1 && url.path[0] === "") {
      out += "/.";
    }
    out += serializePath(url);
    if (url.query !== null) out += "?" + url.query;
    if (!excludeFragment && url.fragment !== null) out += "#" + url.fragment;
    return out;
  }

  // origin (4.7), serialized (HTML).
  function serializeOrigin(url) {
    switch (url.scheme) {
      case "blob": {
        const inner = basicParse(serializePath(url), null);
        return inner && (inner.scheme === "http" || inner.scheme === "https") ? serializeOrigin(inner) : "null";
      }
      case "ftp": case "http": case "https": case "ws": case "wss":
        return url.scheme + "://" + url.host + (url.port !== null ? ":" + url.port : "");
      default:
        return "null"; // opaque origin (file: included, as browsers do)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // URLSearchParams (URL Standard 6.2)
  // ---------------------------------------------------------------------------------------------

  let paramsList, paramsSetList, paramsAttach, urlRecordOf;
  const ITERATOR_PROTOTYPE = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

  class URLSearchParams {
    #list = [];
    #url = null; // the URL object this is the query object of

    static {
      paramsList = (params) => params.#list;
      paramsSetList = (params, list) => { params.#list = list; };
      paramsAttach = (params, url) => { params.#url = url; };
    }

    constructor(init = "") {
      if (init !== null && (typeof init === "object" || typeof init === "function")) {
        const method = init[Symbol.iterator];
        if (method !== undefined && method !== null) {
          this.#list = pairsFromIterable(init, method);
        } else {
          this.#list = pairsFromRecord(init);
        }
      } else {
        const s = toUSV(init);
        this.#list = formParse(s[0] === "?" ? s.slice(1) : s);
      }
    }

    // update steps
    #update() {
      if (this.#url === null) return;
      const url = urlRecordOf(this.#url);
      const serialized = formSerialize(this.#list);
      url.query = serialized === "" ? null : serialized;
      if (url.query === null) stripTrailingSpaces(url);
    }

    get size() { return this.#list.length; }

    append(name, value) {
      requireArgs(arguments.length, 2, "URLSearchParams.append");
      this.#list.push([toUSV(name), toUSV(value)]);
      this.#update();
    }

    delete(name, value = undefined) {
      requireArgs(arguments.length, 1, "URLSearchParams.delete");
      name = toUSV(name);
      if (value !== undefined) {
        value = toUSV(value);
        this.#list = this.#list.filter((pair) => pair[0] !== name || pair[1] !== value);
      } else {
        this.#list = this.#list.filter((pair) => pair[0] !== name);
      }
      this.#update();
    }

    get(name) {
      requireArgs(arguments.length, 1, "URLSearchParams.get");
      name = toUSV(name);
      const pair = this.#list.find((p) => p[0] === name);
      return pair ? pair[1] : null;
    }

    getAll(name) {
      requireArgs(arguments.length, 1, "URLSearchParams.getAll");
      name = toUSV(name);
      return this.#list.filter((p) => p[0] === name).map((p) => p[1]);
    }

    has(name, value = undefined) {
      requireArgs(arguments.length, 1, "URLSearchParams.has");
      name = toUSV(name);
      if (value === undefined) return this.#list.some((p) => p[0] === name);
      value = toUSV(value);
      return this.#list.some((p) => p[0] === name && p[1] === value);
    }

    set(name, value) {
      requireArgs(arguments.length, 2, "URLSearchParams.set");
      name = toUSV(name);
      value = toUSV(value);
      const i = this.#list.findIndex((p) => p[0] === name);
      if (i < 0) {
        this.#list.push([name, value]);
      } else {
        this.#list[i] = [name, value];
        this.#list = this.#list.filter((p, k) => k <= i || p[0] !== name);
      }
      this.#update();
    }

    sort() {
      // Stable (Array.prototype.sort is), by code units (JS string comparison is).
      this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.#update();
    }

    toString() {
      return formSerialize(this.#list);
    }

    forEach(callback, thisArg = undefined) {
      requireArgs(arguments.length, 1, "URLSearchParams.forEach");
      if (typeof callback !== "function") throw new TypeError("URLSearchParams.forEach: callback is not a function.");
      // The list is re-read each step, so changes during iteration are seen (WebIDL iterable).
      for (let i = 0; i < this.#list.length; i++) {
        const pair = this.#list[i];
        callback.call(thisArg, pair[1], pair[0], this);
      }
    }

    entries() { return new ParamsIterator(this, "key+value"); }
    keys() { return new ParamsIterator(this, "key"); }
    values() { return new ParamsIterator(this, "value"); }
  }
  webIDLClass(URLSearchParams, "URLSearchParams");
  Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
    value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true,
  });

  // WebIDL sequence<sequence<USVString>> from an iterable.
  function pairsFromIterable(init, method) {
    if (typeof method !== "function") throw new TypeError("URLSearchParams: @@iterator is not callable.");
    const iterator = method.call(init);
    if (iterator === null || (typeof iterator !== "object" && typeof iterator !== "function")) {
      throw new TypeError("URLSearchParams: the iterator is not an object.");
    }
    const next = iterator.next, list = [];
    for (;;) {
      const step = next.call(iterator);
      if (step === null || (typeof step !== "object" && typeof step !== "function")) {
        throw new TypeError("URLSearchParams: iterator result is not an object.");
      }
      if (step.done) return list;
      const pair = step.value;
      if (pair === null || (typeof pair !== "object" && typeof pair !== "function")) {
        throw new TypeError("URLSearchParams: each query pair must be an iterable [name, value] tuple.");
      }
      const items = [...pair];
      if (items.length !== 2) {
        throw new TypeError("URLSearchParams: each query pair must be an iterable [name, value] tuple.");
      }
      list.push([toUSV(items[0]), toUSV(items[1])]);
    }
  }

  // WebIDL record<USVString, USVString>: own enumerable keys in order; a key converted to a
  // USVString that was already seen replaces that entry's value.
  function pairsFromRecord(init) {
    const map = new Map();
    for (const key of Reflect.ownKeys(init)) {
      const desc = Reflect.getOwnPropertyDescriptor(init, key);
      if (desc !== undefined && desc.enumerable) map.set(toUSV(key), toUSV(init[key]));
    }
    return Array.from(map);
  }

  // WebIDL default iterator objects for URLSearchParams; they read the live list.
  class ParamsIterator {
    #params;
    #kind;
    #index = 0;
    constructor(params, kind) {
      paramsList(params); // brand check
      this.#params = params;
      this.#kind = kind;
    }
    next() {
      const list = paramsList(this.#params);
      if (this.#index >= list.length) return { value: undefined, done: true };
      const pair = list[this.#index++];
      const value = this.#kind === "key" ? pair[0] : this.#kind === "value" ? pair[1] : [pair[0], pair[1]];
      return { value, done: false };
    }
  }
  Object.setPrototypeOf(ParamsIterator.prototype, ITERATOR_PROTOTYPE);
  delete ParamsIterator.prototype.constructor;
  Object.defineProperty(ParamsIterator.prototype, "next", { enumerable: true });
  Object.defineProperty(ParamsIterator.prototype, Symbol.toStringTag, {
    value: "URLSearchParams Iterator", configurable: true,
  });

  // ---------------------------------------------------------------------------------------------
  // URL (URL Standard 6.1)
  // ---------------------------------------------------------------------------------------------

  // "API URL parser" without the blob step: returns a record or FAIL.
  function apiParse(url, base) {
    let parsedBase = null;
    if (base !== undefined) {
      parsedBase = basicParse(base, null);
      if (parsedBase === FAIL) return FAIL;
    }
    return basicParse(url, parsedBase);
  }

  const invalidURL = () => new TypeError("Invalid URL");

  class URL {
    #url;
    #query;

    static {
      urlRecordOf = (url) => url.#url;
    }

    constructor(url, base = undefined) {
      requireArgs(arguments.length, 1, "URL constructor");
      url = toUSV(url);
      if (base !== undefined) base = toUSV(base);
      const record = apiParse(url, base);
      if (record === FAIL) throw invalidURL();
      this.#url = record;
      this.#query = new URLSearchParams();
      this.#resetQueryList();
      paramsAttach(this.#query, this);
    }

    static canParse(url, base = undefined) {
      requireArgs(arguments.length, 1, "URL.canParse");
      url = toUSV(url);
      if (base !== undefined) base = toUSV(base);
      return apiParse(url, base) !== FAIL;
    }

    static parse(url, base = undefined) {
      requireArgs(arguments.length, 1, "URL.parse");
      url = toUSV(url);
      if (base !== undefined) base = toUSV(base);
      return apiParse(url, base) === FAIL ? null : new URL(url, base);
    }

    #resetQueryList() {
      const query = this.#url.query;
      paramsSetList(this.#query, query === null ? [] : formParse(query));
    }

    get href() { return serializeURL(this.#url, false); }
    set href(value) {
      const record = basicParse(toUSV(value), null);
      if (record === FAIL) throw invalidURL();
      this.#url = record;
      this.#resetQueryList();
    }

    get origin() { return serializeOrigin(this.#url); }

    get protocol() { return this.#url.scheme + ":"; }
    set protocol(value) {
      basicParse(toUSV(value) + ":", null, this.#url, SCHEME_START);
    }

    get username() { return this.#url.username; }
    set username(value) {
      value = toUSV(value);
      if (cannotHaveCredentialsOrPort(this.#url)) return;
      this.#url.username = encodeStr(value, USERINFO_SET, false);
    }

    get password() { return this.#url.password; }
    set password(value) {
      value = toUSV(value);
      if (cannotHaveCredentialsOrPort(this.#url)) return;
      this.#url.password = encodeStr(value, USERINFO_SET, false);
    }

    get host() {
      const url = this.#url;
      if (url.host === null) return "";
      return url.port === null ? url.host : url.host + ":" + url.port;
    }
    set host(value) {
      value = toUSV(value);
      if (hasOpaquePath(this.#url)) return;
      basicParse(value, null, this.#url, HOST);
    }

    get hostname() { return this.#url.host === null ? "" : this.#url.host; }
    set hostname(value) {
      value = toUSV(value);
      if (hasOpaquePath(this.#url)) return;
      basicParse(value, null, this.#url, HOSTNAME);
    }

    get port() { return this.#url.port === null ? "" : String(this.#url.port); }
    set port(value) {
      value = toUSV(value);
      if (cannotHaveCredentialsOrPort(this.#url)) return;
      if (value === "") this.#url.port = null;
      else basicParse(value, null, this.#url, PORT);
    }

    get pathname() { return serializePath(this.#url); }
    set pathname(value) {
      value = toUSV(value);
      if (hasOpaquePath(this.#url)) return;
      this.#url.path = [];
      basicParse(value, null, this.#url, PATH_START);
    }

    get search() {
      const query = this.#url.query;
      return query === null || query === "" ? "" : "?" + query;
    }
    set search(value) {
      value = toUSV(value);
      const url = this.#url;
      if (value === "") {
        url.query = null;
        paramsSetList(this.#query, []);
        stripTrailingSpaces(url);
        return;
      }
      const input = value[0] === "?" ? value.slice(1) : value;
      url.query = "";
      basicParse(input, null, url, QUERY);
      paramsSetList(this.#query, formParse(input));
    }

    get searchParams() { return this.#query; }

    get hash() {
      const fragment = this.#url.fragment;
      return fragment === null || fragment === "" ? "" : "#" + fragment;
    }
    set hash(value) {
      value = toUSV(value);
      const url = this.#url;
      if (value === "") {
        url.fragment = null;
        stripTrailingSpaces(url);
        return;
      }
      const input = value[0] === "#" ? value.slice(1) : value;
      url.fragment = "";
      basicParse(input, null, url, FRAGMENT);
    }

    toString() { return serializeURL(this.#url, false); }
    toJSON() { return serializeURL(this.#url, false); }
  }
  webIDLClass(URL, "URL");

  // ---------------------------------------------------------------------------------------------
  // Install
  // ---------------------------------------------------------------------------------------------

  const exported = { DOMException, TextEncoder, TextDecoder, atob, btoa, URLSearchParams, URL };
  for (const name of Object.keys(exported)) {
    Object.defineProperty(global, name, { value: exported[name], writable: true, enumerable: false, configurable: true });
  }
})(globalThis);
