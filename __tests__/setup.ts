// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...), through our one module of cdktf internals.
import { formatTokenStackTracesLazily, registerCdktfJestMatchers } from '../src/cdktf-internals';

registerCdktfJestMatchers();
// As synth does: token creation stacks are formatted only when an error prints them (a seventh of a synth's CPU).
formatTokenStackTracesLazily();
