// A protobuf text-format parser (the format of Triton's config.pbtxt) that checks every field against a protobufjs
// message type: unknown fields, wrong scalar kinds, unknown enum names and repeated non-repeated fields are errors
// naming the line. protobufjs reads .proto files but has no text-format parser; this covers the text format's
// grammar (fields `name: value`, messages `name { ... }` or `name: { ... }`, lists `name: [a, b]`, repeated fields
// given several times, `#` comments, string escapes, optional `,`/`;` separators). Not covered: Any expansion,
// extensions, and the `<...>` message delimiters (Triton's configs use none of them).
import protobuf from 'protobufjs';

type Token = { kind: 'ident' | 'number' | 'string' | 'punct'; text: string; line: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
    else if ('{}[]:,;'.includes(c)) tokens.push({ kind: 'punct', text: c, line }), i++;
    else if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (text[i] !== c) {
        if (i >= text.length || text[i] === '\n') throw new Error(`line ${line}: unterminated string`);
        if (text[i] === '\\') {
          const e = text[++i]!;
          s +=
            ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" } as Record<string, string>)[e] ??
            (() => {
              throw new Error(`line ${line}: unsupported escape \\${e}`);
            })();
          i++;
        } else s += text[i++];
      }
      i++;
      tokens.push({ kind: 'string', text: s, line });
    } else {
      const m = /^(-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)[fF]?|[A-Za-z_][A-Za-z0-9_.]*)/.exec(text.slice(i));
      if (!m) throw new Error(`line ${line}: unexpected character '${c}'`);
      tokens.push({ kind: /^[A-Za-z_]/.test(m[0]) ? 'ident' : 'number', text: m[0], line });
      i += m[0].length;
    }
  }
  return tokens;
}

const INT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64']);

/** Parses `text` as a `type` message; returns the message (verified by protobufjs) as a plain object. */
export function parseTextFormat(type: protobuf.Type, text: string): Record<string, unknown> {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const next = (what: string) => {
    const t = tokens[at++];
    if (!t) throw new Error(`unexpected end of input, expected ${what}`);
    return t;
  };
  const expect = (p: string) => {
    const t = next(`'${p}'`);
    if (t.text !== p || t.kind !== 'punct') throw new Error(`line ${t.line}: expected '${p}', got '${t.text}'`);
  };

  function scalar(field: protobuf.Field, t: Token): unknown {
    const where = `line ${t.line}: field '${field.name}'`;
    const rt = field.resolvedType;
    if (rt instanceof protobuf.Enum) {
      if (t.kind === 'ident' && t.text in rt.values) return t.text;
      if (t.kind === 'number' && Object.values(rt.values).includes(Number(t.text))) return Number(t.text);
      throw new Error(`${where}: '${t.text}' is not a value of enum ${rt.name} (${Object.keys(rt.values).join(', ')})`);
    }
    if (field.type === 'string' || field.type === 'bytes') {
      if (t.kind !== 'string') throw new Error(`${where}: expected a string, got ${t.text}`);
      return t.text;
    }
    if (field.type === 'bool') {
      if (['true', 'True', 't', '1'].includes(t.text)) return true;
      if (['false', 'False', 'f', '0'].includes(t.text)) return false;
      throw new Error(`${where}: expected true or false, got ${t.text}`);
    }
    if (INT_TYPES.has(field.type)) {
      if (t.kind !== 'number' || !/^-?(0x[0-9a-fA-F]+|\d+)$/.test(t.text)) throw new Error(`${where}: expected an integer, got ${t.text}`);
      const v = Number(t.text);
      if (field.type.startsWith('u') && v < 0) throw new Error(`${where}: ${field.type} cannot be negative (${v})`);
      return v;
    }
    if (field.type === 'float' || field.type === 'double') {
      if (t.kind === 'number') return Number(t.text.replace(/[fF]$/, ''));
      if (['inf', 'infinity', 'nan'].includes(t.text.toLowerCase())) return t.text.toLowerCase() === 'nan' ? NaN : Infinity;
      throw new Error(`${where}: expected a number, got ${t.text}`);
    }
    throw new Error(`${where}: unsupported type ${field.type}`);
  }

  function value(field: protobuf.Field): unknown {
    if (field.resolvedType instanceof protobuf.Type) {
      const open = next(`'{'`);
      if (open.text !== '{') throw new Error(`line ${open.line}: field '${field.name}' is a message (${field.resolvedType.name}); expected '{'`);
      return message(field.resolvedType, '}');
    }
    return scalar(field, next('a value'));
  }

  function message(t: protobuf.Type, close?: string): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (;;) {
      const tok = peek();
      if (!tok) {
        if (close) throw new Error(`unexpected end of input inside ${t.name}`);
        return obj;
      }
      if (close && tok.text === close && tok.kind === 'punct') {
        at++;
        return obj;
      }
      const nameTok = next('a field name');
      if (nameTok.kind !== 'ident') throw new Error(`line ${nameTok.line}: expected a field name in ${t.name}, got '${nameTok.text}'`);
      const field = t.fields[nameTok.text];
      if (!field) throw new Error(`line ${nameTok.line}: ${t.name} has no field '${nameTok.text}'`);
      field.resolve();
      const isMessage = field.resolvedType instanceof protobuf.Type;
      if (peek()?.text === ':') at++;
      else if (!isMessage) throw new Error(`line ${nameTok.line}: expected ':' after scalar field '${field.name}'`);
      const values: unknown[] = [];
      if (peek()?.text === '[') {
        at++;
        if (!field.repeated) throw new Error(`line ${nameTok.line}: field '${field.name}' is not repeated; a list is not allowed`);
        while (peek()?.text !== ']') {
          values.push(value(field));
          if (peek()?.text === ',') at++;
          else if (peek()?.text !== ']') throw new Error(`line ${peek()?.line ?? '?'}: expected ',' or ']' in the list of '${field.name}'`);
        }
        at++;
      } else values.push(value(field));
      if (field.repeated) obj[field.name] = [...((obj[field.name] as unknown[]) ?? []), ...values];
      else if (field.name in obj) throw new Error(`line ${nameTok.line}: non-repeated field '${field.name}' given twice`);
      else obj[field.name] = values[0];
      if (peek()?.text === ',' || peek()?.text === ';') at++;
    }
  }

  const obj = message(type);
  const err = type.verify(type.fromObject(obj));
  if (err) throw new Error(`${type.name}: ${err}`);
  return obj;
}
