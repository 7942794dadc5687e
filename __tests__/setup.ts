// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...), through our one module of cdktf internals.
import { formatTokenStackTracesLazily, registerCdktfJestMatchers, resolveTokensWithLighterContexts } from '../src/cdktf-internals';

registerCdktfJestMatchers();
// As synth does: token creation stacks are formatted only when an error prints them (a seventh of a synth's CPU).
formatTokenStackTracesLazily();
// As synth does: cdktf's resolve without a context per key and a path per node (__tests__/stacks/lighter-resolve.test.ts compares it to cdktf's).
resolveTokensWithLighterContexts();
