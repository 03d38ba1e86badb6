#!/usr/bin/env python3
"""Runs ONE of ISCE2's ionosphere sub-steps on a topsApp work directory, for isce2_topsapp (the TypeScript
processor), which does the plugin's masking, bridging, ionosphere computation and filtering between them.

    python ion_substep.py topsApp.xml <sub-step> [swath]

It loads topsApp's state after `fineresamp` (PICKLE/fineresamp) the way the DockerizedTopsApp plugin does, sets up
ISCE2's ionosphere parameters (runIon.setup) and writes them to ion/ion_param.json for the processor, then runs:

  subband            the lower and upper sub-band burst interferograms (runIon.subband)
  merge              merged sub-band interferograms and their coherence (runIon.merge)
  swath_boxes        for the swath-by-swath ionosphere (pairs whose starting ranges differ, cross-mission pairs):
                     the valid swaths and each burst's valid box at the ionosphere looks, to ion/swath_boxes.json
  merge_swath N      swath N's sub-bands merged on the whole frame's grid, lightly filtered (psfilt1, when there)
                     and their coherence, in ion/{lower,upper}/merged_IWN (the plugin's ionSwathBySwath, step 1)
  unwrap [N]         SNAPHU on the merged sub-bands (of swath N) at the first looks, without the second multilook
  multilook [N]      the second multilook of the unwrapped sub-bands and the coherence (runIon.multilook_unw)
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


def swath_boxes(app, ion, runIon):
    xml_dir = os.path.join(ion.ionDirname, ion.lowerDirname, ion.fineIfgDirname)
    box, valid, _, _ = runIon.getMergeBox(app, xml_dir, numberRangeLooks=ion.numberRangeLooks,
                                          numberAzimuthLooks=ion.numberAzimuthLooks)
    swaths = [s for s in app._insar.getValidSwathList(app.swaths)
              if len(set(app._insar.commonReferenceBurstLimits(s - 1))) == 2]
    record = {"swaths": swaths, "burstValidBox": [[[int(v) for v in b] for b in swath] for swath in valid]}
    with open(os.path.join("ion", "swath_boxes.json"), "w") as f:
        json.dump(record, f, indent=2)


def merge_swath(app, ion, runIon, swath):
    """One swath's sub-bands on the whole frame's grid, as the plugin's ionSwathBySwath does before unwrapping."""
    import shutil

    import numpy as np
    from isce.components import isceobj
    from isce.components.isceobj.TopsProc.runMergeBursts import adjustValidWithLooks, mergeBurstsVirtual, multilook

    xml_dir = os.path.join(ion.ionDirname, ion.lowerDirname, ion.fineIfgDirname)
    box, _, _, _ = runIon.getMergeBox(app, xml_dir, numberRangeLooks=ion.numberRangeLooks,
                                      numberAzimuthLooks=ion.numberAzimuthLooks)
    first, last = app._insar.commonReferenceBurstLimits(swath - 1)
    merged = "{0}_IW{1}".format(ion.mergedDirname, swath)
    names = {}
    for band in (ion.lowerDirname, ion.upperDirname):
        out_dir = os.path.join(ion.ionDirname, band, merged)
        os.makedirs(out_dir, exist_ok=True)
        burst_dir = os.path.join(ion.ionDirname, band, ion.fineIfgDirname)
        ifg = app._insar.loadProduct(os.path.join(burst_dir, "IW{0}.xml".format(swath)))
        bursts = [os.path.join(burst_dir, "IW{0}".format(swath), "burst_%02d.int" % (b + 1)) for b in range(first, last)]
        adjustValidWithLooks([ifg], box, ion.numberAzimuthLooks, ion.numberRangeLooks, edge=0, avalid="strict",
                             rvalid=np.int32(np.around(ion.numberRangeLooks / 8.0)))
        name = os.path.join(out_dir, app._insar.mergedIfgname)
        mergeBurstsVirtual([ifg], [bursts], box, name + ".full")
        multilook(name + ".full", name, ion.numberAzimuthLooks0, ion.numberRangeLooks0)
        names[band] = name
    image = isceobj.createImage()
    image.load(names[ion.lowerDirname] + ".xml")
    width, length = image.width, image.length
    if shutil.which("psfilt1") is not None:
        for name in names.values():
            os.replace(name, name + ".unfiltered")
            runIon.runCmd("psfilt1 {0} {1} {2} .3 32 8".format(name + ".unfiltered", name, width))
            os.remove(name + ".unfiltered")
    lower = np.fromfile(names[ion.lowerDirname], dtype=np.complex64).reshape(length, width)
    upper = np.fromfile(names[ion.upperDirname], dtype=np.complex64).reshape(length, width)
    cor = np.zeros((length * 2, width), dtype=np.float32)
    cor[0::2] = np.sqrt((np.absolute(lower) + np.absolute(upper)) / 2.0)
    cor[1::2] = runIon.cal_coherence(lower * np.conjugate(upper), win=3, edge=4)
    cor_name = os.path.join(ion.ionDirname, ion.lowerDirname, merged, app._insar.correlationFilename)
    cor.tofile(cor_name)
    img = isceobj.createOffsetImage()
    img.setFilename(cor_name)
    img.extraFilename = cor_name + ".vrt"
    img.setWidth(width)
    img.setLength(length)
    img.renderHdr()


def in_swath(ion, swath, action):
    """Runs `action` with ISCE2's merged directory set to swath N's, as the plugin's ionSwathBySwath does."""
    if swath is None:
        return action()
    merged = ion.mergedDirname
    ion.mergedDirname = "{0}_IW{1}".format(merged, swath)
    try:
        return action()
    finally:
        ion.mergedDirname = merged


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    config, step = argv[:2]
    swath = int(argv[2]) if len(argv) == 3 and argv[2] in ("1", "2", "3") else None
    if len(argv) == 3 and swath is None:
        print("ion_substep.py: swath {0} is not 1, 2 or 3".format(argv[2]), file=sys.stderr)
        return 2
    try:
        from isce.components.isceobj.TopsProc import runIon
    except ImportError as error:
        print("ion_substep.py: ISCE2 is not importable by {0} ({1}); run it with the interpreter that runs "
              "topsApp.py".format(sys.executable, error), file=sys.stderr)
        return 1
    if not os.path.exists(os.path.join("PICKLE", "fineresamp")):
        print("ion_substep.py: PICKLE/fineresamp is missing in {0}; run topsApp.py up to fineresamp first".format(
            os.getcwd()), file=sys.stderr)
        return 1

    app = load(config)
    ion = parameters(app, runIon)
    actions = {
        "subband": lambda: runIon.subband(app, ion),
        "merge": lambda: runIon.merge(app, ion),
        "swath_boxes": lambda: swath_boxes(app, ion, runIon),
        "merge_swath": lambda: merge_swath(app, ion, runIon, swath),
        "unwrap": lambda: in_swath(ion, swath, lambda: unwrap_without_second_looks(app, ion, runIon)),
        "multilook": lambda: in_swath(ion, swath, lambda: runIon.multilook_unw(app, ion, ion.mergedDirname)),
        "ionosphere_shift": lambda: runIon.ionosphere_shift(app, ion),
        "ion2grd": lambda: runIon.ion2grd(app, ion),
        "esd": lambda: runIon.esd(app, ion),
        "merge_burst_ramps": lambda: merge_burst_ramps(app),
    }
    if step == "merge_swath" and swath is None:
        print("ion_substep.py: merge_swath needs the swath number", file=sys.stderr)
        return 2
    if step not in actions:
        print("ion_substep.py: unknown sub-step {0!r}; one of {1}".format(step, ", ".join(actions)), file=sys.stderr)
        return 2
    actions[step]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
