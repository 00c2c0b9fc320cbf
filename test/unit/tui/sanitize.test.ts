import { describe, expect, it } from 'vitest';
import { cleanLine, cleanText } from '../../../src/tui/sanitize.js';

const ESC = '\u001b';

describe('cleanText: visitor text cannot drive the terminal', () => {
  it.each([
    ['SGR colours', `${ESC}[31mred${ESC}[0m`, 'red'],
    ['cursor movement', `a${ESC}[2Ab${ESC}[10;20Hc`, 'abc'],
    ['clear screen and scrollback', `${ESC}[2J${ESC}[3Jhello`, 'hello'],
    ['private modes (alternate screen, hidden cursor)', `${ESC}[?1049h${ESC}[?25lx`, 'x'],
    ['window title by OSC 0 ended by BEL', `${ESC}]0;PWNED\u0007ok`, 'ok'],
    ['window title by OSC 2 ended by ST', `${ESC}]2;PWNED${ESC}\\ok`, 'ok'],
    ['hyperlinks (OSC 8)', `${ESC}]8;;http://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, 'click'],
    ['clipboard writes (OSC 52)', `${ESC}]52;c;cHduZWQ=\u0007x`, 'x'],
    ['DCS strings', `${ESC}P+q544e${ESC}\\x`, 'x'],
    ['APC, PM and SOS strings', `${ESC}_apc${ESC}\\${ESC}^pm${ESC}\\${ESC}Xsos${ESC}\\x`, 'x'],
    ['8-bit CSI', '\u009b2Jx\u009b31my', 'xy'],
    ['8-bit OSC ended by 8-bit ST', '\u009d0;PWNED\u009cx', 'x'],
    ['lone C1 controls', 'a\u0085b\u008dc\u0090', 'abc'],
    ['reset and charset escapes', `${ESC}cA${ESC}(0B${ESC}7C${ESC}#8D`, 'ABCD'],
    ['C0 controls (BEL, BS, VT, FF, NUL, DEL)', 'a\u0007b\u0008c\u000bd\u000ce\u0000f\u007fg', 'abcdefg'],
    ['bidi overrides', 'abc\u202edcba\u202c \u2066x\u2069', 'abcdcba x'],
  ])('strips %s', (_what, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('swallows an unterminated OSC or DCS to the end, as a terminal would', () => {
    expect(cleanText(`before${ESC}]0;title never ends`)).toBe('before');
    expect(cleanText(`before${ESC}Pdata`)).toBe('before');
  });

  it('leaves no ESC or C1 byte behind whatever the input', () => {
    const nasty = [ESC, '[', ']', '\u009b', '\u009d', '\u0007', '\\', 'P', '0', ';', 'm', 'x', '\u0090', '\u009c'];
    for (let i = 0; i < 2000; i++) {
      const input = Array.from({ length: 12 }, (_, j) => nasty[(i * 7 + j * 13 + (i >> j)) % nasty.length]).join('');
      expect(cleanText(input)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('keeps printable Unicode, newlines and turns tabs and CRs into spaces and newlines', () => {
    expect(cleanText('Olá — 你好 👩‍💻 ñ')).toBe('Olá — 你好 👩‍💻 ñ');
    expect(cleanText('one\r\ntwo\rthree\nfour\u2028five')).toBe('one\ntwo\nthree\nfour\nfive');
    expect(cleanText('a\tb')).toBe('a  b');
  });
});

describe('cleanLine', () => {
  it('makes one line of anything', () => {
    expect(cleanLine(`  Ana\n${ESC}[31mLima${ESC}[0m\r\n  `)).toBe('Ana Lima');
    expect(cleanLine(undefined)).toBe('');
    expect(cleanLine(null)).toBe('');
  });
});
