// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...), through our one module of cdktf internals.
import { registerCdktfJestMatchers } from '../src/cdktf-internals';

registerCdktfJestMatchers();
