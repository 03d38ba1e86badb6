import { dockerTagOf, isValidDockerTag } from './dev-version.js';
import { isFinalRelease, parsePep440 } from './pep440.js';

/**
 * Image tags and OCI labels for a container build (pure).
 *
 * - develop branch (`dev`): the development version (`+` → `_`, e.g. `0.2.2.dev148_gab75888`) and `test`;
 * - a release tag (`v*`) or the release branch (`main`) on a tagged commit: the release version and `latest`;
 * - the release branch before its tag exists: the development version only — `latest` waits for the tag, so an
 *   untagged image can never become `latest` (the race of the original workflows);
 * - a pull request: `pr-<number>` only;
 * - anything else: the development version only.
 * Pre-releases and development versions never get `latest`.
 */

export interface ContainerBuild {
  /** Git ref of the build, e.g. refs/heads/dev, refs/tags/v0.3.9, refs/pull/12/merge. */
  readonly ref: string;
  /** The version setuptools_scm gives the commit being built (see dev-version.ts). */
  readonly version: string;
  readonly commit: string;
  readonly created: Date;
  /** Image name without tag (e.g. ghcr.io/owner/repo); lower-cased for the registry. Tags only when absent. */
  readonly image?: string;
  readonly developBranch?: string;
  readonly releaseBranch?: string;
  readonly tagPrefix?: string;
  readonly metadata?: {
    readonly title?: string;
    readonly description?: string;
    readonly source?: string;
    readonly url?: string;
    readonly licenses?: string;
  };
}

export type BuildKind = 'develop' | 'release' | 'release-untagged' | 'pull-request' | 'other';

export interface ContainerTags {
  readonly kind: BuildKind;
  /** Tags alone (`0.3.9`, `latest`). */
  readonly tags: readonly string[];
  /** Full references (`ghcr.io/owner/repo:0.3.9`), when an image was given. */
  readonly references: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

// The distribution reference grammar (github.com/distribution/reference): an optional registry host (domain or
// IPv6 literal, optional port) and lower-case path components separated by ".", "_", "__" or dashes.
const DOMAIN = String.raw`(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

/**
 * An image name without tag or digest (`ghcr.io/owner/repo`, `localhost:5000/app`, `app`). The path is checked
 * lower-cased, since the tags are written lower-cased (GitHub repository names may hold capitals).
 */
export function isImageName(name: string): boolean {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // As in Docker: the first component is a registry when it has a dot or a port, or is localhost.
  const registry = /[.:]|^localhost$/.test(first) ? `${first}/` : '';
  const path = name.slice(registry.length).toLowerCase();
  return name.length <= 255 && IMAGE_NAME.test(`${registry}${path}`);
}

function kindOf(build: ContainerBuild): { kind: BuildKind; pullRequest?: string } {
  const develop = build.developBranch ?? 'dev';
  const release = build.releaseBranch ?? 'main';
  const prefix = build.tagPrefix ?? 'v';
  const pull = /^refs\/pull\/(\d+)\//.exec(build.ref);
  if (pull) return { kind: 'pull-request', pullRequest: pull[1]! };
  if (build.ref === `refs/heads/${develop}`) return { kind: 'develop' };
  const final = parsePep440(build.version);
  const tagged = final !== null && isFinalRelease(final) && !build.version.includes('+');
  if (build.ref.startsWith(`refs/tags/${prefix}`) || build.ref === `refs/heads/${release}`)
    return { kind: tagged ? 'release' : 'release-untagged' };
  return { kind: 'other' };
}

export function containerTags(build: ContainerBuild): ContainerTags {
  const { kind, pullRequest } = kindOf(build);
  const versionTag = dockerTagOf(build.version);
  const notes: string[] = [];
  let tags: string[];
  switch (kind) {
    case 'develop':
      tags = [versionTag, 'test'];
      break;
    case 'release': {
      const parsed = parsePep440(build.version)!;
      tags = parsed.pre === null ? [versionTag, 'latest'] : [versionTag];
      if (parsed.pre !== null) notes.push(`${build.version} is a pre-release: no latest tag`);
      break;
    }
    case 'release-untagged':
      tags = [versionTag];
      notes.push(
        `${build.ref} is not at a release tag (version ${build.version}): latest is applied when the release tag is built`,
      );
      break;
    case 'pull-request':
      tags = [`pr-${pullRequest}`];
      break;
    default:
      tags = [versionTag];
  }
  for (const tag of tags)
    if (!isValidDockerTag(tag)) throw new Error(`"${tag}" is not a valid Docker tag (version ${build.version})`);
  const image = build.image?.toLowerCase();
  const meta = build.metadata ?? {};
  const labels: Record<string, string> = {
    'org.opencontainers.image.version': build.version,
    'org.opencontainers.image.revision': build.commit,
    'org.opencontainers.image.created': build.created.toISOString(),
  };
  const optional: [string, string | undefined][] = [
    ['org.opencontainers.image.source', meta.source],
    ['org.opencontainers.image.url', meta.url ?? meta.source],
    ['org.opencontainers.image.title', meta.title],
    ['org.opencontainers.image.description', meta.description],
    ['org.opencontainers.image.licenses', meta.licenses],
  ];
  for (const [key, value] of optional) if (value) labels[key] = value;
  return { kind, tags, references: image ? tags.map((t) => `${image}:${t}`) : [], labels, notes };
}
