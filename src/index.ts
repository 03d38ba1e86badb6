/**
 * The library behind the `gunw` and `isce2_topsapp` programs. Stable entry points: the diff engine, its report
 * schema, tolerance profiles, and the netCDF readers it runs on.
 */
export { diffProducts, type DiffOptions, type DiffResult } from './compare/engine.js';
export { inlineExecutor } from './compare/executor/inline.js';
export { poolExecutor } from './compare/executor/pool.js';
export { DEFAULT_PROFILE, resolveProfile, type Profile, type ProfileFile } from './compare/profile.js';
export { parseProfile, profileSchema, validateProfile } from './compare/profile-file.js';
export {
  diffReportSchema,
  REPORT_SCHEMA_VERSION,
  reportJsonSchema,
  type DiffReport,
  type LayerReport,
  type Ambiguity,
  type Relabelling,
} from './compare/report-schema.js';
export { ExitError, InternalError, ProductReadError, UsageError, ValidationError } from './errors.js';
export { H5wasmProductReader } from './netcdf/h5wasm/reader.js';
export { openProduct } from './netcdf/open.js';
export { writeNetcdf } from './netcdf/h5wasm/writer.js';
export { MemoryProductReader } from './netcdf/memory/reader.js';
export type { NcAttribute, NcDimension, NcGroup, NcVariable } from './netcdf/model.js';
export type { ProductReader } from './netcdf/reader.js';
export type { GroupSpec, VariableSpec } from './netcdf/spec.js';
export { formatReport, type ReportFormat } from './report/render.js';
export { writeReportDirectory } from './report/report-dir.js';
export {
  gunwProductId,
  roundHalfEven,
  sceneHash,
  GUNW_ID_PATTERN,
  DATASET_VERSION,
  type AsfSceneProperties,
  type GunwIdInput,
} from './product/gunw-id.js';
export {
  gunwSlcParameters,
  gunwSlcJob,
  gunwBurstParameters,
  isStandardProduct,
  type GunwSlcParameters,
  type GunwSlcJob,
  type GunwBurstParameters,
} from './product/parameters.js';
export { MISSIONS, type Mission } from './product/missions.js';
export { hyp3JobOf } from './processor/job-form.js';
