/** The interrupt registry installs its signal handlers only while something is registered. */
import { spawn } from 'node:child_process';
import { interruptState, onInterrupt, trackChild } from '../../src/interrupt';

const counts = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));

test('handlers only while a clean-up or a child is registered; disposing twice is harmless', async () => {
  const before = counts();
  const forgetA = onInterrupt('a', () => undefined);
  const forgetB = onInterrupt('b', () => undefined);
  expect(counts()).toEqual(before.map((n) => n + 1));
  expect(interruptState()).toEqual({ installed: true, cleanups: 2, children: 0 });
  forgetA();
  forgetA();
  expect(interruptState()).toEqual({ installed: true, cleanups: 1, children: 0 });
  forgetB();
  expect(interruptState()).toEqual({ installed: false, cleanups: 0, children: 0 });
  expect(counts()).toEqual(before);

  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 50)']);
  trackChild(child);
  expect(interruptState()).toEqual({ installed: true, cleanups: 0, children: 1 });
  await new Promise((resolve) => child.on('close', resolve));
  expect(interruptState()).toEqual({ installed: false, cleanups: 0, children: 0 });
  expect(counts()).toEqual(before);
});
