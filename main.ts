/**
 * App entry: `cdktf synth` (via cdktf.json) and `npm run synth` run this file.
 * It validates every environment, then synthesizes one stack per environment into `cdktf.out/`.
 */
import { runSynth } from './src/cli/synth';

process.exitCode = runSynth(process.env, process.stderr, { stdout: process.stdout });
