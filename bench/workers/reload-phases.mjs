#!/usr/bin/env node
/**
 * Where a reload's time goes: the product's config pipeline (dist/config, the steps loadConfig() runs) timed
 * phase by phase on the generated config, in its own process on the daemon's CPU. Used to explain the reload
 * numbers; the internals it calls may move, in which case the report says the breakdown is unavailable.
 */
import { readSources } from '../../dist/config/read.js';
import { parseSource } from '../../dist/config/document.js';
import { quickParse } from '../../dist/config/quick-parse.js';
import { mergeDocuments } from '../../dist/config/tree.js';
import { validateSchema } from '../../dist/config/schema.js';
import { checkSemantics } from '../../dist/config/semantic.js';
import { compileSnapshot } from '../../dist/config/compile.js';
import { serve } from '../lib/ipc.mjs';

serve({
  async run({ files, iterations }) {
    const phases = { read: [], parse: [], merge: [], schema: [], semantic: [], compile: [] };
    for (let i = 0; i < iterations; i += 1) {
      let t = performance.now();
      const lap = (name) => {
        const now = performance.now();
        phases[name].push(now - t);
        t = now;
      };
      const read = await readSources(files[i % files.length]);
      if ('issue' in read) throw new Error(`read failed: ${JSON.stringify(read.issue)}`);
      lap('read');
      // As loadConfig does: the fast parser, and the located one only where the fast one gives up.
      const documents = read.sources.map((source) => quickParse(source, process.env) ?? parseSource(source, process.env));
      lap('parse');
      const { tree } = mergeDocuments(documents);
      lap('merge');
      const schema = validateSchema(tree);
      lap('schema');
      const issues = checkSemantics(tree, schema.invalidSections);
      lap('semantic');
      compileSnapshot(tree.data, read.sources.map((s) => s.path), tree.interpolatedPaths());
      lap('compile');
      if (schema.issues.length + issues.length > 0) throw new Error('the generated config has issues');
    }
    return phases;
  },
  stop() {
    setTimeout(() => process.exit(0), 10);
    return true;
  },
});
