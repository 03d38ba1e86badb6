#!/usr/bin/env bash
# Container entry point: activate the ISCE2 environment and hand every argument to isce2_topsapp, exactly as
# HyP3 passes them (`++process gunw_slc ...`). Credentials arrive as EARTHDATA_USERNAME/EARTHDATA_PASSWORD (HyP3
# secrets), flags, or a mounted ~/.netrc; isce2_topsapp reads them itself, in that documented order, and never
# writes or prints them. Nothing here echoes the environment.
set -euo pipefail
eval "$(micromamba shell hook --shell bash)"
micromamba activate base
ISCE_HOME="$(python -c 'import isce, os; print(os.path.dirname(isce.__file__))' 2>/dev/null)"
export ISCE_HOME
export PATH="${ISCE_HOME}/applications:${PATH}"
exec node /app/lib/cli/isce2-topsapp.js "$@"
