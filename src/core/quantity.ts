/**
 * Resource quantities as the API server parses them (apimachinery resource.Quantity):
 *   <quantity> ::= <sign>?<number><suffix>
 *   <number>   ::= <digits> | <digits>.<digits>? | .<digits>
 *   <suffix>   ::= Ki Mi Gi Ti Pi Ei  |  m "" k M G T P E  |  e<sign>?<digits> | E<sign>?<digits>
 * Pure: no I/O.
 */

const QUANTITY_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity's value in base units (cores, bytes), as a float; undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return n * BINARY[suffix]!;
  if (suffix in DECIMAL) return n * DECIMAL[suffix]!;
  return n * 10 ** Number(suffix.slice(1));
}

/** The API's message for a string that is not a quantity, or undefined when it is one. */
export function quantityError(text: string): string | undefined {
  if (parseQuantity(text) === undefined) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  return undefined;
}
