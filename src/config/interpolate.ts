/**
 * `${VAR}` and `${VAR:-default}` inside string values. It runs on values the YAML parser has already produced, so
 * whatever the environment holds ends up inside one string: it can never add keys, list items, anchors or tags,
 * and it never changes a value's type.
 *
 * - `:-` follows the shell: the default applies when the variable is unset *or empty*. A default is literal text
 *   up to the first `}`; it is not interpolated again.
 * - `$${` is a literal `${`.
 * - Any other `${` is an error rather than silently kept, so a typo cannot ship a half-interpolated secret.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  text: string;
  /** Names of the variables referenced, in order; empty when the text had no reference. */
  variables: string[];
  /** Why the text could not be interpolated; empty when it could. Never contains a variable's value. */
  problems: string[];
}

const TOKEN = /\$\$\{|\$\{(?:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\})?/g;

export function interpolate(text: string, env: Env): Interpolated {
  const variables: string[] = [];
  const problems: string[] = [];
  const result = text.replace(TOKEN, (token: string, name: string | undefined, fallback: string | undefined) => {
    if (token === '$${') return '${';
    if (name === undefined) {
      problems.push('malformed "${": write ${NAME} or ${NAME:-default}, or $${ for a literal "${"');
      return token;
    }
    variables.push(name);
    const value = env[name];
    if (fallback !== undefined) return value ? value : fallback;
    if (value === undefined) {
      problems.push(`environment variable ${name} is not set (set it, or give a default: \${${name}:-value})`);
      return '';
    }
    return value;
  });
  return { text: result, variables, problems };
}
