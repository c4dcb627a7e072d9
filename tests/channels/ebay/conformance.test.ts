import { describeChannelConformance } from '../conformance.js';
import { ebayHarness } from './harness.js';

describeChannelConformance(ebayHarness);
