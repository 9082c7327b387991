/** Snapshot of the public API: an accidental removal or rename shows up here. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../src/index.js';

test('public API exports the core types, I/O and every stage namespace', () => {
  for (const name of ['Volume', 'ProbabilityMaps', 'NeighbourGrid', 'prepareMap', 'readMrc', 'writeMrc', 'readStructure', 'writeStructure', 'readFasta', 'runPipeline', 'evaluateModel', 'CryoreadError', 'MrcFormatError']) {
    assert.ok(name in api, `missing export ${name}`);
  }
  for (const ns of ['simulate', 'detect', 'cluster', 'trace', 'sequence', 'build', 'evaluate', 'pipeline'] as const) {
    assert.equal(typeof api[ns], 'object', `missing namespace ${ns}`);
  }
  assert.equal(typeof api.sequence.assignSequence, 'function');
  assert.equal(typeof api.cluster.clusterNodes, 'function');
  assert.equal(typeof api.trace.traceBackbones, 'function');
  assert.equal(typeof api.build.buildAtoms, 'function');
  assert.equal(typeof api.simulate.simulateMap, 'function');
  assert.equal(typeof api.detect.detect, 'function');
});
