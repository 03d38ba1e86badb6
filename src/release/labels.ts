/**
 * Bump labels on pull requests: `major`, `minor`, `patch` release a new version of that kind; `bumpless` merges
 * without a release. Matching is case-insensitive; names can be configured.
 */

/** The release decisions a label can ask for, biggest bump first: the one list every action and command uses. */
export const LABEL_KINDS = ['major', 'minor', 'patch', 'bumpless'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];
export type Bump = Exclude<LabelKind, 'bumpless'>;

/** The label spelling of each decision in a repository (configurable; matched case-insensitively). */
export type BumpLabelNames = Readonly<Record<LabelKind, string>>;

export const DEFAULT_BUMP_LABELS: BumpLabelNames = Object.fromEntries(LABEL_KINDS.map((k) => [k, k])) as Record<
  LabelKind,
  string
>;

const ORDER: readonly Bump[] = LABEL_KINDS.filter((k): k is Bump => k !== 'bumpless');

export type BumpDecision =
  | { readonly kind: 'release'; readonly bump: Bump; readonly label: string }
  | { readonly kind: 'bumpless'; readonly label: string }
  | { readonly kind: 'error'; readonly message: string };

/** The bump labels among `labels`, in their configured spelling. */
export function bumpLabelsAmong(labels: readonly string[], names: BumpLabelNames = DEFAULT_BUMP_LABELS): string[] {
  const wanted = new Map(Object.values(names).map((n) => [n.toLowerCase(), n]));
  return [
    ...new Set(labels.map((l) => wanted.get(l.trim().toLowerCase())).filter((l): l is string => l !== undefined)),
  ];
}

/**
 * The one label rule, for the pull request check, the changelog check, the release and `gunw release plan` alike:
 * exactly one of the four labels. None, or several (two bumps, or a bump with bumpless), is an error naming what
 * was found, so a release never depends on which of two labels someone meant.
 */
export function decideBump(labels: readonly string[], names: BumpLabelNames = DEFAULT_BUMP_LABELS): BumpDecision {
  const present = bumpLabelsAmong(labels, names);
  const found = LABEL_KINDS.map((k) => names[k]).filter((name) => present.includes(name));
  const accepted = Object.values(names).join(', ');
  if (found.length === 0) {
    const seen = labels.length > 0 ? labels.join(', ') : 'none';
    return { kind: 'error', message: `no release label (labels: ${seen}); add exactly one of: ${accepted}` };
  }
  if (found.length > 1)
    return {
      kind: 'error',
      message: `${found.length} release labels (${found.join(', ')}); keep exactly one of: ${accepted}`,
    };
  const label = found[0]!;
  if (label === names.bumpless) return { kind: 'bumpless', label };
  const bump = ORDER.find((b) => names[b] === label)!;
  return { kind: 'release', bump, label };
}

/**
 * The labels that decide a pull request's release, or null when none is needed: a merge into the release branch
 * releases, so there the labels are always judged (none is an error); into any other branch only labels someone
 * set are (a bumpless label there still spares the changelog edit).
 */
export function decidingLabels(
  labels: readonly string[],
  pull: { readonly base: string | undefined; readonly releaseBranch: string },
  names: BumpLabelNames = DEFAULT_BUMP_LABELS,
): readonly string[] | null {
  if (pull.base === pull.releaseBranch) return labels;
  return bumpLabelsAmong(labels, names).length > 0 ? labels : null;
}
