/** Go RE2 syntax into a JS RegExp: named groups (?P<n>…) and leading flag groups ((?i), (?s), (?m)). */
export function goRegExp(source: string): RegExp {
  let flags = '';
  let src = source;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>');
  return new RegExp(src, flags);
}
