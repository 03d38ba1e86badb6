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
  | { readonly kind: 'release'; readonly bump: Bump; readonly label: string; readonly ignored: readonly string[] }
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
 * What the labels ask for. Several bump labels: the biggest wins and the others are listed as ignored. `bumpless`
 * with a bump label contradicts itself and is an error, as is no bump label at all.
 */
export function decideBump(labels: readonly string[], names: BumpLabelNames = DEFAULT_BUMP_LABELS): BumpDecision {
  const found = bumpLabelsAmong(labels, names);
  const bumps = ORDER.filter((b) => found.includes(names[b]));
  const accepted = Object.values(names).join(', ');
  if (found.includes(names.bumpless)) {
    if (bumps.length > 0) {
      return {
        kind: 'error',
        message: `labels ${names.bumpless} and ${bumps.map((b) => names[b]).join(', ')} contradict each other; keep exactly one of: ${accepted}`,
      };
    }
    return { kind: 'bumpless', label: names.bumpless };
  }
  const biggest = bumps[0];
  if (!biggest) {
    const seen = labels.length > 0 ? labels.join(', ') : 'none';
    return { kind: 'error', message: `no bump label found (labels: ${seen}); add exactly one of: ${accepted}` };
  }
  return { kind: 'release', bump: biggest, label: names[biggest], ignored: bumps.slice(1).map((b) => names[b]) };
}
