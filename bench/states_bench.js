#!/usr/bin/env node
// The cases of bench/states/cases.json run by the npm package aws-local-stepfunctions, timed as
// bench/states_bench.cpp times xacct's interpreter: the StateMachine is built (and its definition validated
// by the package's asl-validator) once; each run is `run(input).result` awaited, median of the runs.
// The package keeps every event of a run in its EventLogger's queue until the run is dropped (the root
// run's `eventLogs` are not read during timed runs, so that the reader's own cost is not counted; a Map's
// iterations forward their events to the root queue themselves). The warm-up runs read the events to check
// the number of states entered, and the output, against cases.json.
// Usage: node bench/states_bench.js --prefix DIR [--dir bench/states] [--runs 9] [--warmup 1] [--only NAME]
//        [--json]       DIR: where `npm install` put node_modules/aws-local-stepfunctions (bench/states_bench.sh)
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');
const { performance } = require('perf_hooks');

function die(message) {
  process.stderr.write(`states_bench.js: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { dir: path.join(__dirname, 'states'), runs: 9, warmup: 1, only: '', json: false, prefix: '' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) die(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--dir') args.dir = next();
    else if (arg === '--prefix') args.prefix = next();
    else if (arg === '--runs') args.runs = Math.max(1, parseInt(next(), 10));
    else if (arg === '--warmup') args.warmup = Math.max(1, parseInt(next(), 10));
    else if (arg === '--only') args.only = next();
    else if (arg === '--json') args.json = true;
    else die(`unknown argument ${arg}`);
  }
  if (!args.prefix) die('--prefix DIR (the npm install directory) is required');
  return args;
}

function loadCases(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
  return manifest.cases.map((c) => {
    let input = c.input;
    let output = c.output;
    if (c.input_items !== undefined) {
      const items = [];
      for (let i = 0; i < c.input_items; i++) items.push({ id: i });
      input = { items };
      if (c.output_is_items) output = items;
    }
    return {
      name: c.name,
      definition: JSON.parse(fs.readFileSync(path.join(dir, c.definition), 'utf8')),
      input,
      transitions: c.transitions,
      output: JSON.stringify(output),
    };
  });
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 === 1 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A run that reads every event (not timed): the number of states entered and of events.
async function checkedRun(machine, c) {
  const execution = machine.run(structuredClone(c.input));
  let entered = 0;
  let events = 0;
  const reader = (async () => {
    for await (const event of execution.eventLogs) {
      events++;
      if (event.type === 'StateEntered') entered++;
    }
  })();
  const output = await execution.result;
  await reader;
  if (JSON.stringify(output) !== c.output) die(`${c.name}: unexpected output ${JSON.stringify(output)}`);
  if (entered !== c.transitions) die(`${c.name}: ${entered} states entered, cases.json says ${c.transitions}`);
  return events;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const requireFromPrefix = createRequire(path.join(path.resolve(args.prefix), 'package.json'));
  const { StateMachine } = requireFromPrefix('aws-local-stepfunctions');
  const packageJson = path.join(path.resolve(args.prefix), 'node_modules', 'aws-local-stepfunctions', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')); // not in the package's "exports"
  for (const c of loadCases(args.dir)) {
    if (args.only && c.name !== args.only) continue;
    const validateStart = performance.now();
    const machine = new StateMachine(c.definition);
    const validateMs = performance.now() - validateStart;
    let events = 0;
    for (let i = 0; i < args.warmup; i++) events = await checkedRun(machine, c);
    const times = [];
    for (let i = 0; i < args.runs; i++) {
      const input = structuredClone(c.input);
      const start = performance.now();
      const execution = machine.run(input);
      await execution.result;
      times.push(performance.now() - start);
    }
    const medianMs = median(times);
    const perSecond = c.transitions / (medianMs / 1000);
    if (args.json) {
      console.log(
        JSON.stringify({
          impl: `aws-local-stepfunctions ${version}`,
          case: c.name,
          transitions: c.transitions,
          median_ms: medianMs,
          runs_ms: times,
          transitions_per_s: perSecond,
          events,
          validate_ms: validateMs,
        }),
      );
    } else {
      console.log(
        `${c.name.padEnd(6)} ${String(c.transitions).padStart(9)} transitions  median ${medianMs.toFixed(2)} ms ` +
          `(min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)}, ${args.runs} runs)  ` +
          `${perSecond.toFixed(0)} transitions/s  ${events} events  validate ${validateMs.toFixed(3)} ms`,
      );
    }
  }
}

main().catch((error) => die(error && error.stack ? error.stack : String(error)));
