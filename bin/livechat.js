#!/usr/bin/env node
import { main } from '../dist/cli/livechat.js';
main(process.argv);
