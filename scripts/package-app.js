#!/usr/bin/env node
/*
 * Packages the app with `rc-apps package` from a staging folder that holds only the app's own
 * files. The app compiler compiles every .ts file under the folder it packages, with fixed options
 * and only the `node` types, so the sandbox, tests and benchmarks must never be in that folder.
 * Output: dist/<nameSlug>_<version>.zip. A type error fails the build (rc-apps type-checks).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const APP_ENTRIES = ['app.json', 'TicketBridgeApp.ts', 'icon.png', 'package.json',
  'settings', 'i18n', 'commands', 'endpoints', 'handlers', 'src'];

const stage = path.join(root, 'build', 'app-stage');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
for (const entry of APP_ENTRIES) {
  const from = path.join(root, entry);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, entry), { recursive: true });
}
// The compiler resolves the engine definitions and the app's own TypeScript from node_modules.
fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');

const rcApps = path.join(root, 'node_modules', '.bin', 'rc-apps');
try {
  execFileSync(rcApps, ['package'], { cwd: stage, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
} catch (err) {
  process.stderr.write(String(err.stdout || '') + String(err.stderr || ''));
  process.stderr.write('\nrc-apps package failed (see the diagnostics above)\n');
  process.exit(1);
}

const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
const zipName = `${app.nameSlug}_${app.version}.zip`;
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.copyFileSync(path.join(stage, 'dist', zipName), path.join(root, 'dist', zipName));
const size = fs.statSync(path.join(root, 'dist', zipName)).size;
console.log(`packaged dist/${zipName} (${(size / 1024).toFixed(1)} KiB)`);
