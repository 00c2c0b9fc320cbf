/** The console's wiring to the terminal: its size (following resizes), the bell, and a clock for waiting times. */
import { useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { Store } from '../store.js';

export interface Size {
  columns: number;
  rows: number;
}

export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const read = (): Size => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** Rings once per batch of news: ten messages arriving together are one bell, not ten. */
export function useBell(bells: number, ring: (() => void) | undefined): void {
  const heard = useRef(bells);
  useEffect(() => {
    if (bells > heard.current && ring) ring();
    heard.current = bells;
  }, [bells, ring]);
}

export function useClock(store: Store, everyMs = 10_000): void {
  useEffect(() => {
    const timer = setInterval(() => store.dispatch({ type: 'tick', now: Date.now() }), everyMs);
    return () => clearInterval(timer);
  }, [store, everyMs]);
}
