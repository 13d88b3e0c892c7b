import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import nunjucks from 'nunjucks';
import { parseDocument, stringify } from 'yaml';
import { bundleError } from './messages';
import { problem } from './entries';
import type { Problem, Question } from './types';

/**
 * Values templates: Nunjucks (Jinja2 syntax, as Ansible users know it) rendered with the
 * site's facts and the validated answers, then parsed as YAML. Nothing is hand-edited on a
 * server; a template that reads a missing value fails with the template, line and name.
 */

/** Facts the installer gives every template. Extra keys are allowed; these are documented. */
export interface ValuesFacts {
  site: { id?: string; name: string };
  hosts: { name: string; address: string; role: 'server' | 'agent'; arch?: string; cpus?: number; memoryBytes?: number; os?: string }[];
  k3s?: { version: string; ha: boolean; apiEndpoint?: string };
  [key: string]: unknown;
}

export interface RenderInput {
  facts: ValuesFacts | Record<string, unknown>;
  answers: Record<string, unknown>;
  bundle?: { name: string; version: string; vendor: string };
  release?: { name: string; namespace: string };
  /** Template name used in messages, e.g. `values/api.yaml.njk`. */
  name?: string;
}

function makeEnv(): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true });
  const toYaml = (v: unknown) => stringify(v, { lineWidth: 0 }).replace(/\n$/, '');
  env.addFilter('to_yaml', toYaml);
  env.addFilter('toYaml', toYaml);
  env.addFilter('to_json', (v: unknown) => JSON.stringify(v));
  env.addFilter('b64encode', (v: unknown) => Buffer.from(String(v)).toString('base64'));
  env.addFilter('b64decode', (v: unknown) => Buffer.from(String(v), 'base64').toString('utf8'));
  env.addFilter('sha256', (v: unknown) => createHash('sha256').update(String(v)).digest('hex'));
  // A YAML-safe scalar whatever the text holds (quotes, colons, leading zeros).
  env.addFilter('quote', (v: unknown) => JSON.stringify(v === undefined || v === null ? '' : String(v)));
  env.addFilter('bool', (v: unknown) => v === true || v === 'true' || v === 'yes' || v === 1 || v === '1');
  const mandatory = (v: unknown, msg?: string) => {
    if (v === undefined || v === null || v === '') throw new Error(msg ?? 'a mandatory value is missing');
    return v;
  };
  env.addFilter('mandatory', mandatory);
  env.addFilter('required', mandatory);
  // Jinja2's forms that Nunjucks lacks: selectattr/rejectattr with a test, min, max.
  const tests: Record<string, (a: unknown, b: unknown) => boolean> = {
    equalto: (a, b) => a === b,
    eq: (a, b) => a === b,
    '==': (a, b) => a === b,
    ne: (a, b) => a !== b,
    '!=': (a, b) => a !== b,
    lt: (a, b) => (a as number) < (b as number),
    le: (a, b) => (a as number) <= (b as number),
    gt: (a, b) => (a as number) > (b as number),
    ge: (a, b) => (a as number) >= (b as number),
    in: (a, b) => Array.isArray(b) && b.includes(a),
    defined: (a) => a !== undefined,
    undefined: (a) => a === undefined,
  };
  const pick = (keep: boolean) => (arr: unknown, attr: string, test?: string, value?: unknown) => {
    if (!Array.isArray(arr)) return [];
    return arr.filter((item) => {
      const v = item && typeof item === 'object' ? (item as Record<string, unknown>)[attr] : undefined;
      let r: boolean;
      if (test === undefined) r = !!v;
      else {
        const t = tests[test];
        if (!t) throw new Error(`unknown test "${test}"`);
        r = t(v, value);
      }
      return r === keep;
    });
  };
  env.addFilter('selectattr', pick(true));
  env.addFilter('rejectattr', pick(false));
  env.addFilter('min', (arr: unknown) => (Array.isArray(arr) ? arr.reduce((a, b) => (b < a ? b : a)) : arr));
  env.addFilter('max', (arr: unknown) => (Array.isArray(arr) ? arr.reduce((a, b) => (b > a ? b : a)) : arr));
  return env;
}

let env: nunjucks.Environment | undefined;
const getEnv = () => (env ??= makeEnv());

/** Records the last name a template read that did not exist, for a useful error message. */
function track<T>(value: T, path: string, miss: { last?: string }): T {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (typeof prop !== 'string') return v;
      const p = Array.isArray(target) && /^\d+$/.test(prop) ? `${path}[${prop}]` : `${path}.${prop}`;
      if (v === undefined && !(prop in target)) miss.last = p;
      return track(v, p, miss);
    },
  }) as T;
}

function lineOf(message: string): { line: number; col: number; reason: string } {
  const m = /\[Line (\d+), Column (\d+)\]\s*([\s\S]*)$/.exec(message);
  const reason = (m ? m[3] : message).replace(/^\s*(Template render error:\s*)?/, '').split('\n').pop()!.trim();
  return { line: m ? Number(m[1]) : 1, col: m ? Number(m[2]) : 1, reason };
}

/** Throws `bundle.values_render` if the template does not even parse (the builder calls this). */
export function checkTemplate(template: string, name = 'values template'): void {
  try {
    new nunjucks.Template(template, getEnv(), name, true);
  } catch (e) {
    const { line, reason } = lineOf((e as Error).message);
    throw bundleError('bundle.values_render', { template: name, line, reason });
  }
}

/** Renders one values template to text and to the values object helm will receive. */
export function renderValues(template: string, input: RenderInput): { text: string; values: Record<string, unknown> } {
  const name = input.name ?? 'values template';
  const miss: { last?: string } = {};
  let text: string;
  try {
    text = getEnv().renderString(template, {
      facts: track(input.facts, 'facts', miss),
      answers: track(input.answers, 'answers', miss),
      bundle: input.bundle,
      release: input.release,
    });
  } catch (e) {
    const { line, reason } = lineOf((e as Error).message);
    const why = /null or undefined/.test(reason) && miss.last ? `${miss.last} is not defined` : reason;
    throw bundleError('bundle.values_render', { template: name, line, reason: why });
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw bundleError('bundle.values_yaml', { template: name, line: e.linePos?.[0].line ?? 1, reason: e.message.split('\n')[0] }, { rendered: text });
  }
  const values = doc.toJS() ?? {};
  if (typeof values !== 'object' || Array.isArray(values)) {
    throw bundleError('bundle.values_yaml', { template: name, line: 1, reason: 'the rendered values must be a YAML mapping' });
  }
  return { text, values: values as Record<string, unknown> };
}

const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/;

function optionValues(q: Question): string[] {
  return (q.options ?? []).map((o) => (typeof o === 'string' ? o : o.value));
}

/** Coerces one answer to its question's type, or says why it cannot be. */
function coerce(q: Question, v: unknown): { value: unknown } | { reason: string } {
  const s = typeof v === 'string' ? v.trim() : v;
  switch (q.type) {
    case 'integer':
    case 'number':
    case 'port': {
      const n = typeof s === 'number' ? s : typeof s === 'string' && s !== '' ? Number(s) : NaN;
      if (!Number.isFinite(n)) return { reason: 'not a number' };
      if ((q.type === 'integer' || q.type === 'port') && !Number.isInteger(n)) return { reason: 'not a whole number' };
      if (q.type === 'port' && (n < 1 || n > 65535)) return { reason: 'a port is between 1 and 65535' };
      if (q.min !== undefined && n < q.min) return { reason: `less than ${q.min}` };
      if (q.max !== undefined && n > q.max) return { reason: `more than ${q.max}` };
      return { value: n };
    }
    case 'boolean':
      if (typeof s === 'boolean') return { value: s };
      if (s === 'true' || s === 'yes') return { value: true };
      if (s === 'false' || s === 'no') return { value: false };
      return { reason: 'expected true or false' };
    default: {
      if (typeof s !== 'string' && typeof s !== 'number') return { reason: 'expected text' };
      // Passwords keep their spaces; everything else was trimmed above.
      const str = q.type === 'password' ? String(v) : String(s);
      if (q.type === 'enum' && !optionValues(q).includes(str)) return { reason: `expected one of ${optionValues(q).join(', ')}` };
      if (q.type === 'ip' && isIP(str) === 0) return { reason: 'not an IP address' };
      if (q.type === 'hostname' && !HOSTNAME.test(str)) return { reason: 'not a host name' };
      if (q.minLength !== undefined && str.length < q.minLength) return { reason: `shorter than ${q.minLength} characters` };
      if (q.maxLength !== undefined && str.length > q.maxLength) return { reason: `longer than ${q.maxLength} characters` };
      if (q.pattern !== undefined && !new RegExp(`^(?:${q.pattern})$`).test(str)) return { reason: `does not match ${q.pattern}` };
      return { value: str };
    }
  }
}

/**
 * Checks answers against the bundle's questions: fills defaults, coerces form strings to
 * numbers/booleans, and reports every problem by question name (not only the first).
 */
export function validateAnswers(questions: Question[], answers: Record<string, unknown>): { answers: Record<string, unknown>; problems: Problem[] } {
  const out: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const q of questions) {
    const given = answers[q.name];
    const empty = given === undefined || given === null || given === '';
    if (empty) {
      if (q.default !== undefined) {
        const c = coerce(q, q.default);
        if ('value' in c) out[q.name] = c.value;
        else problems.push({ ...problem('bundle.answer_invalid', { question: q.name, reason: `default: ${c.reason}` }), field: q.name });
      } else if (q.required) problems.push({ ...problem('bundle.answer_missing', { question: q.name }), field: q.name });
      continue;
    }
    const c = coerce(q, given);
    if ('value' in c) out[q.name] = c.value;
    else problems.push({ ...problem('bundle.answer_invalid', { question: q.name, reason: c.reason }), field: q.name });
  }
  const known = new Set(questions.map((q) => q.name));
  for (const k of Object.keys(answers)) {
    if (!known.has(k)) problems.push({ ...problem('bundle.answer_unknown', { question: k }, 'warning'), field: k });
  }
  return { answers: out, problems };
}

/** Names of the password answers, so reports and logs can redact them. */
export function secretAnswerNames(questions: Question[]): string[] {
  return questions.filter((q) => q.type === 'password').map((q) => q.name);
}
