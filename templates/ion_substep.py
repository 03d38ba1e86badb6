#!/usr/bin/env python3
"""Runs ONE of ISCE2's ionosphere sub-steps on a topsApp work directory, for isce2_topsapp (the TypeScript
processor), which does the plugin's masking, bridging, ionosphere computation and filtering between them.

    python ion_substep.py topsApp.xml <sub-step>

It loads topsApp's state after `fineresamp` (PICKLE/fineresamp) the way the DockerizedTopsApp plugin does, sets up
ISCE2's ionosphere parameters (runIon.setup) and writes them to ion/ion_param.json for the processor, then runs:

  subband            the lower and upper sub-band burst interferograms (runIon.subband)
  merge              merged sub-band interferograms and their coherence (runIon.merge)
  swath_by_swath     merge, unwrap and raw ionosphere swath by swath (runIon.ionSwathBySwath), for pairs whose
                     starting ranges differ (cross-mission pairs); the processor then skips its own steps to the filter
  unwrap             SNAPHU on the merged sub-bands at the first looks, without the second multilook
  multilook          the second multilook of the unwrapped sub-bands and the coherence (runIon.multilook_unw)
  ionosphere_shift   azimuth shift from the filtered ionosphere (runIon.ionosphere_shift)
  ion2grd            the ionosphere per burst on the ground (runIon.ion2grd)
  esd                burst ramps (runIon.esd)
  merge_burst_ramps  merged/topophase.ion.az_shift from ion/ion_burst (mergeBursts2 + multilook)

Needs ISCE2 (it runs inside the processor's container, with the interpreter that runs topsApp.py).
"""
import json
import os
import sys


def load(config):
    from isce.applications import topsApp

    app = topsApp.TopsInSAR(name="topsApp", cmdline=[config])
    app.configure()
    app.loadPickleObj(os.path.join("PICKLE", "fineresamp"))
    return app


def parameters(app, runIon):
    ion = runIon.setup(app)
    record = {
        "radarWavelength": ion.radarWavelength,
        "calIonWithMerged": bool(ion.calIonWithMerged),
        "rampRemovel": int(ion.rampRemovel),
        "numberRangeLooks": int(ion.numberRangeLooks),
        "numberAzimuthLooks": int(ion.numberAzimuthLooks),
        "numberRangeLooks0": int(ion.numberRangeLooks0),
        "numberAzimuthLooks0": int(ion.numberAzimuthLooks0),
        "ionHeight": float(ion.ionHeight),
        "ionFit": bool(ion.ionFit),
        "ionFilteringWinsizeMax": int(ion.ionFilteringWinsizeMax),
        "ionFilteringWinsizeMin": int(ion.ionFilteringWinsizeMin),
        "allSteps": list(ion.allSteps),
    }
    os.makedirs("ion", exist_ok=True)
    with open(os.path.join("ion", "ion_param.json.partial"), "w") as f:
        json.dump(record, f, indent=2)
    os.replace(os.path.join("ion", "ion_param.json.partial"), os.path.join("ion", "ion_param.json"))
    return ion


def unwrap_without_second_looks(app, ion, runIon):
    looks0 = (ion.numberRangeLooks0, ion.numberAzimuthLooks0)
    # With the first looks equal to the second, runIon.unwrap unwraps and stops before multilook_unw.
    ion.numberRangeLooks0, ion.numberAzimuthLooks0 = ion.numberRangeLooks, ion.numberAzimuthLooks
    try:
        runIon.unwrap(app, ion)
    finally:
        ion.numberRangeLooks0, ion.numberAzimuthLooks0 = looks0


def merge_burst_ramps(app):
    from isce.components.isceobj.TopsProc.runMergeBursts import mergeBox, mergeBursts2, multilook

    frames, index = [], []
    for swath in app._insar.getValidSwathList(app.swaths):
        first, last = app._insar.commonReferenceBurstLimits(swath - 1)
        if first == last:
            continue
        frames.append(app._insar.loadProduct(os.path.join(app._insar.fineIfgDirname, "IW{0}.xml".format(swath))))
        index.append([int(swath), first, last])
    full = os.path.join("merged", "topophase.ion.az_shift.full")
    mergeBursts2(frames, os.path.join("ion", "ion_burst", "IW%d", "burst_%02d.ion"), index, mergeBox(frames), full,
                 virtual=True, validOnly=True)
    multilook(full, outname=os.path.join("merged", "topophase.ion.az_shift"),
              alks=app.numberAzimuthLooks, rlks=app.numberRangeLooks)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    config, step = argv
    from isce.components.isceobj.TopsProc import runIon

    app = load(config)
    ion = parameters(app, runIon)
    actions = {
        "subband": lambda: runIon.subband(app, ion),
        "merge": lambda: runIon.merge(app, ion),
        "swath_by_swath": lambda: runIon.ionSwathBySwath(app, ion),
        "unwrap": lambda: unwrap_without_second_looks(app, ion, runIon),
        "multilook": lambda: runIon.multilook_unw(app, ion, ion.mergedDirname),
        "ionosphere_shift": lambda: runIon.ionosphere_shift(app, ion),
        "ion2grd": lambda: runIon.ion2grd(app, ion),
        "esd": lambda: runIon.esd(app, ion),
        "merge_burst_ramps": lambda: merge_burst_ramps(app),
    }
    if step not in actions:
        print("ion_substep.py: unknown sub-step {0!r}; one of {1}".format(step, ", ".join(actions)), file=sys.stderr)
        return 2
    actions[step]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
