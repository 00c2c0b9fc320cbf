#!/usr/bin/env node
/**
 * The reload baseline: read + parse the same YAML (`yaml`) + validate it against schemas/livechat.schema.json with
 * ajv, compiled once with the product's options — and nothing else (no places, no interpolation, no semantic
 * checks, no compile, no commit). Runs alone in its own process on the daemon's CPU.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { serve } from '../lib/ipc.mjs';

const schema = JSON.parse(await readFile(new URL('../../schemas/livechat.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true, discriminator: true, verbose: true });
addFormats.default(ajv, ['email']);
ajv.addKeyword('patternErrorMessage');
const validate = ajv.compile(schema);

serve({
  async run({ files, iterations }) {
    const samples = [];
    for (let i = 0; i < iterations; i += 1) {
      const started = performance.now();
      const data = YAML.parse(await readFile(files[i % files.length], 'utf8'));
      const valid = validate(data);
      samples.push(performance.now() - started);
      if (!valid) throw new Error(`baseline: the generated config is invalid: ${ajv.errorsText(validate.errors)}`);
    }
    return samples;
  },
  stop() {
    setTimeout(() => process.exit(0), 10);
    return true;
  },
});
