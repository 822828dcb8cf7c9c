// Preloaded by bench.mjs (`node --require`) when /usr/bin/time is missing: at exit, writes the
// process's peak resident set size in KiB to stderr behind a marker that the bench parses.
'use strict';
const { writeSync } = require('node:fs');

process.on('exit', () => writeSync(2, `\nTCLD_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`));
