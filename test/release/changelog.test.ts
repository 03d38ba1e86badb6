import { describe, expect, it } from 'vitest';
import { parseChangelog } from '../../src/release/changelog/parse.js';
import { checkChangelog, releaseNotes, type ChangelogExpectation } from '../../src/release/changelog/rules.js';
import { seededRandom } from '../../src/sample/random.js';

const GOOD = `# Changelog

All notable changes to this project are documented in this file.

## [Unreleased]

### Added

- something new

## [0.4.0] - 2026-11-01

### Added

- a feature

### Fixed

- a bug

## [0.3.8]

### Fixed
* Aux cal files are now distributed from new locations

[0.4.0]: https://github.com/o/r/compare/v0.3.8...v0.4.0
`;

const none: ChangelogExpectation = { kind: 'none' };
const check = (text: string, expectation: ChangelogExpectation = none) =>
  checkChangelog(parseChangelog(text), expectation);
const messages = (text: string, expectation: ChangelogExpectation = none) =>
  check(text, expectation).map((f) => `${f.line}: ${f.message}`);

describe('Keep a Changelog rules', () => {
  it('accepts a well-formed changelog', () => {
    expect(check(GOOD)).toEqual([]);
    expect(check(GOOD, { kind: 'release', label: 'patch', nextVersion: '0.4.0' })).toEqual([]);
  });

  it('reports each problem on its line with the fix', () => {
    const bad = [
      '# Changelog',
      '## [0.3.0]', // 2
      '### Updated', // 3
      '- x',
      '### Updated', // 5
      '- y',
      '## Fixed', // 7
      '## [0.4.0] - 2026-13-01', // 8
      '### Added', // 9
      '## [v0.2.0]', // 10
      '- z',
      '## [0.3.0]', // 12
      '- again',
    ].join('\n');
    expect(messages(bad)).toEqual([
      '3: unknown change type "Updated" (use "Changed"); use one of Added, Changed, Deprecated, Removed, Fixed, Security',
      '5: unknown change type "Updated" (use "Changed"); use one of Added, Changed, Deprecated, Removed, Fixed, Security',
      '5: a second "### Updated" in 0.3.0 (merge it with line 3)',
      '7: "## Fixed" is a change section at level 2 (write "### Fixed" inside a version)',
      '7: "### Fixed" has no entries (add "- ..." lines or remove it)',
      '8: version 0.4.0 is below 0.3.0 (line 2): newest versions go first',
      '8: "2026-13-01" is not a date (write YYYY-MM-DD, e.g. "## [0.4.0] - 2026-11-24")',
      '9: "### Added" has no entries (add "- ..." lines or remove it)',
      '10: "v0.2.0" is not a SemVer version (write X.Y.Z, without the v: [0.2.0])',
      '12: version 0.3.0 appears twice (also line 2)',
    ]);
  });

  it('requires a title, and [Unreleased] once and first', () => {
    expect(messages('## [0.1.0]\n- a\n## [Unreleased]\n## [Unreleased]\n')).toEqual([
      '1: no title: start the file with "# Changelog"',
      '3: [Unreleased] must be the first section, above every version',
      '4: a second [Unreleased] section (merge it into the first)',
    ]);
  });

  it('wants the version the label releases on top, and explains how to get there', () => {
    expect(messages(GOOD, { kind: 'release', label: 'minor', nextVersion: '0.5.0' })).toEqual([
      '11: label minor releases 0.5.0, but the newest version is 0.4.0 (line 11): rename "## [Unreleased]" (line 5) to "## [0.5.0]"',
    ]);
    expect(messages(GOOD, { kind: 'bumpless', label: 'bumpless', currentVersion: '0.3.8' })).toEqual([
      '11: label bumpless releases nothing, but version 0.4.0 is newer than the current release 0.3.8: move its entries to "## [Unreleased]" or change the label',
    ]);
    expect(check(GOOD, { kind: 'bumpless', label: 'bumpless', currentVersion: '0.4.0' })).toEqual([]);
  });

  it("extracts a version's notes without its heading, the blank lines around it or the link references", () => {
    expect(releaseNotes(parseChangelog(GOOD), 'v0.4.0')).toBe('### Added\n\n- a feature\n\n### Fixed\n\n- a bug');
    expect(releaseNotes(parseChangelog(GOOD), '0.3.8')).toBe(
      '### Fixed\n* Aux cal files are now distributed from new locations',
    );
    expect(releaseNotes(parseChangelog(GOOD), '9.9.9')).toBeNull();
  });

  it('never crashes on random or mutated input, and always explains itself', () => {
    const random = seededRandom(11);
    const alphabet = [
      '#',
      '# ',
      '## ',
      '### ',
      '[',
      ']',
      '(',
      ')',
      '-',
      '* ',
      '\n',
      '\r\n',
      ' ',
      '0.1.0',
      'Added',
      'Unreleased',
      '```',
      '\u0000',
      'é',
      '[x]: http://a',
      '2026-01-01',
    ];
    const lines = GOOD.split('\n');
    for (let round = 0; round < 3000; round++) {
      let text: string;
      if (round % 2 === 0) {
        text = Array.from(
          { length: Math.floor(random() * 60) },
          () => alphabet[Math.floor(random() * alphabet.length)],
        ).join('');
      } else {
        const mutated = [...lines];
        for (let k = 0; k < 4; k++) {
          const i = Math.floor(random() * mutated.length);
          const op = Math.floor(random() * 4);
          if (op === 0) mutated.splice(i, 1);
          else if (op === 1) mutated.splice(i, 0, mutated[Math.floor(random() * mutated.length)] ?? '');
          else if (op === 2) mutated[i] = (mutated[i] ?? '').slice(0, Math.floor(random() * 10));
          else mutated[i] = `${mutated[i] ?? ''}${alphabet[Math.floor(random() * alphabet.length)]}`;
        }
        text = mutated.join('\n');
      }
      const expectation: ChangelogExpectation =
        round % 3 === 0 ? { kind: 'release', label: 'minor', nextVersion: '0.5.0' } : none;
      const failures = check(text, expectation);
      for (const f of failures) {
        expect(f.line).toBeGreaterThanOrEqual(1);
        expect(f.message.length).toBeGreaterThan(10);
        expect(f.message).not.toMatch(/\n/);
      }
    }
  });
});
