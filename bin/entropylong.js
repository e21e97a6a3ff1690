#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader (no build step to forget).
import process from 'node:process';
import { register } from 'tsx/esm/api';
register();
process.env.ENTROPYLONG_CLI = '1';
await import('../src/cli/main.ts');
