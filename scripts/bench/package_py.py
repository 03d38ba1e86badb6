#!/usr/bin/env python3
"""Peer for `npm run bench` (packaging): what the original plugin's packaging does to the arrays, in Python with
netCDF4 (Debian python3-netcdf4) -- read the ISCE2 rasters of merged/ with numpy and write the same layers with the
same dtypes, chunking (256 x 256) and compression (zlib level 4 + shuffle) as `isce2_topsapp package`. Written for
the benchmark; it is not the plugin's code.

usage: package_py.py ISCE_DIR OUT.nc
"""
import sys
import xml.etree.ElementTree as ET

import netCDF4
import numpy as np

DTYPES = {"FLOAT": np.float32, "BYTE": np.uint8, "DOUBLE": np.float64, "SHORT": np.int16, "INT": np.int32}


def raster(path):
    root = ET.parse(path + ".xml").getroot()
    props = {p.get("name"): p.findtext("value") for p in root.findall("property")}
    coords = {}
    for comp in root.findall("component"):
        coords[comp.get("name")] = {p.get("name"): float(p.findtext("value")) for p in comp.findall("property")}
    width, length, bands = int(props["width"]), int(props["length"]), int(props["number_bands"])
    data = np.fromfile(path, dtype=DTYPES[props["data_type"].upper()]).reshape(length, bands, width)
    return data, coords["coordinate1"], coords["coordinate2"]


def main(isce_dir, out):
    merged = isce_dir + "/merged/"
    unw, c1, c2 = raster(merged + "filt_topophase.unw.geo")
    amplitude, phase = unw[:, 0, :], unw[:, 1, :]
    length, width = phase.shape
    coherence = raster(merged + "phsig.cor.geo")[0][:, 0, :].copy()
    coherence[amplitude == 0] = 0
    components = raster(merged + "filt_topophase.unw.conncomp.geo")[0][:, 0, :].astype(np.float32)
    components[amplitude == 0] = -1
    unfiltered = raster(merged + "topophase.cor.geo")[0][:, 1, :]
    ion = raster(merged + "topophase.ion.geo")[0][:, 0, :]
    shifted = raster(merged + "topophase.ion.az_shift.geo")[0][:, 0, :]
    with np.errstate(invalid="ignore"):
        ramps = np.where((ion == 0) | (shifted == 0), np.nan, shifted - ion).astype(np.float32)

    ds = netCDF4.Dataset(out, "w")
    grids = ds.createGroup("science").createGroup("grids")
    data = grids.createGroup("data")
    data.createDimension("latitude", length)
    data.createDimension("longitude", width)
    lon = data.createVariable("longitude", "f8", ("longitude",), zlib=True, complevel=4, shuffle=True)
    lon[:] = c1["startingvalue"] + np.arange(width) * c1["delta"]
    lat = data.createVariable("latitude", "f8", ("latitude",), zlib=True, complevel=4, shuffle=True)
    lat[:] = c2["startingvalue"] + np.arange(length) * c2["delta"]
    chunks = (min(256, length), min(256, width))
    for name, values, fill in [
        ("unwrappedPhase", phase, 0.0),
        ("coherence", coherence, 0.0),
        ("connectedComponents", components, -1.0),
        ("amplitude", amplitude, 0.0),
        ("unfilteredCoherence", unfiltered, 0.0),
    ]:
        var = data.createVariable(name, "f4", ("latitude", "longitude"), zlib=True, complevel=4, shuffle=True, chunksizes=chunks, fill_value=fill)
        var[:] = values
    ramp_group = grids.createGroup("corrections").createGroup("derived").createGroup("ionosphereBurstRamps")
    ramp_group.createDimension("latitude", length)
    ramp_group.createDimension("longitude", width)
    var = ramp_group.createVariable("ionosphereBurstRamps", "f4", ("latitude", "longitude"), zlib=True, complevel=4, shuffle=True, chunksizes=chunks, fill_value=np.nan)
    var[:] = ramps
    ds.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
