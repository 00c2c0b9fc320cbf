#!/usr/bin/env node
import { main } from '../dist/cli/livechatd.js';
main(process.argv);
