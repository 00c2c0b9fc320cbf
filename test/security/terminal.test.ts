/**
 * Abuse, terminal side: whatever a visitor writes, nothing that can drive a terminal reaches the agent's.
 * Covered elsewhere, not repeated: each sequence family (CSI, OSC 0/2/8/52, DCS, APC/PM/SOS, 8-bit C1, lone C1,
 * C0, bidi overrides) in test/unit/tui/sanitize.test.ts; hostile names, e-mails, custom-field keys, labels and
 * values, agent names and typing names in the panes (test/unit/tui/panes.test.tsx, reduce.test.ts); a hostile
 * message on a real terminal (test/e2e/agent-console.test.ts). Added here: a fast-check property over generated
 * strings that mix every sequence introducer and terminator with arbitrary Unicode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLine, cleanText } from '../../src/tui/sanitize.js';

/** C0 except LF, DEL, C1, ESC; bidi embeddings, overrides and isolates; line and paragraph separators. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const PIECES = ['\u001b', '[', ']', 'P', 'X', '^', '_', '\\', '\u0007', '\u009b', '\u009d', '\u0090', '\u0098', '\u009e', '\u009f', '\u009c', '\u0085', ';', '0', '2', '8', '52', 'm', 'H', 'J', '?', '1049', 'h', '(', '#', ' ', '\t', '\r', '\n', '\u2028', '\u202e', '\u2066', 'é', '你', '👩‍💻'];

const hostile = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }), { maxLength: 40 }).map((parts) => parts.join(''));

describe('terminal: visitor text never reaches the agent terminal raw', () => {
  it('cleanText and cleanLine leave no control, escape, C1 or bidi character, for 5,000 generated strings', () => {
    fc.assert(
      fc.property(hostile, (input) => {
        const text = cleanText(input);
        expect(text).not.toMatch(UNSAFE);
        const line = cleanLine(input);
        expect(line).not.toMatch(UNSAFE);
        expect(line).not.toContain('\n');
        // Stripping again finds nothing more: nothing was left half-removed.
        expect(cleanText(text)).toBe(text);
      }),
      { numRuns: 5_000 },
    );
  });
});
