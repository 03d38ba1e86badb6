/**
 * The one place the project imports execa. execa is about a hundred ES modules, and resolving them is most of the
 * start-up time of a short command such as `gunw version`; so `npm run build` replaces the compiled
 * `lib/io/execa.js` with a single-file bundle of the same exports (scripts/bundle-execa.mjs). Sources and tests
 * import execa through here unchanged.
 */
export { execa } from 'execa';
