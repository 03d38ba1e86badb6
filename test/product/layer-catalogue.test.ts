import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/compare/profile.js';
import { gunwSlcParameters } from '../../src/product/parameters.js';
import { DATA_LAYERS, dataLayersFor } from '../../src/product/layer-catalogue.js';
import { packagingLayers } from '../../src/processor/plan.js';

const SCENES = {
  reference_scenes: ['S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E'],
  secondary_scenes: ['S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F'],
  frame_id: 25502,
};

describe('the data-layer catalogue', () => {
  it('is the one source of what packaging writes, what the plan lists and how the diff compares', () => {
    const everything = gunwSlcParameters.parse({
      ...SCENES,
      dense_offsets: true,
      unfiltered_coherence: true,
      wrapped_phase_layer: true,
    });
    expect(dataLayersFor(everything).map((l) => l.name)).toEqual(DATA_LAYERS.map((l) => l.name));
    const plain = gunwSlcParameters.parse({ ...SCENES, unfiltered_coherence: false });
    expect(dataLayersFor(plain).map((l) => l.name)).toEqual([
      'unwrappedPhase',
      'coherence',
      'connectedComponents',
      'amplitude',
    ]);
    for (const layer of DATA_LAYERS) {
      expect(packagingLayers(everything)).toContain(layer.name);
      // The diff's default rule for the layer is the catalogue's: comparator, tolerances, and the product's units.
      const rule = resolveProfile(null).layerRule(`/science/grids/data/${layer.name}`);
      expect(rule, layer.name).toMatchObject({
        comparator: layer.comparator,
        abs: layer.abs,
        rel: layer.rel,
        units: layer.units ?? 'unitless',
      });
    }
  });
});
